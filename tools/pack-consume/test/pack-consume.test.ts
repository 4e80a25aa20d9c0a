/**
 * Pack-and-consume: how our users meet the packages. Packs every publishable package under
 * packages/*, installs the tarballs into a fresh project outside the repo (with cdktf, constructs,
 * typescript and @types/node from the registry), then imports each package from ESM and CJS,
 * type-checks a consumer stack with `tsc --strict` (NodeNext, ESM and CJS flavours), synthesizes
 * it, and runs the packed schema checker (`@ecs-pulse/alicloud-provider/testing`) on the result.
 *
 * The packages must be built first; nx does that (`test` depends on `^build`, and this package
 * depends on all of them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TIMEOUT = 5 * 60_000;

interface PackageInfo {
  readonly name: string;
  readonly dir: string;
  /** Subpaths with code (conditions objects), e.g. `.`, `./testing`. */
  readonly codeSubpaths: readonly string[];
}

interface LoadReport {
  readonly [specifier: string]: { readonly exports: number; readonly resolved: string } | { readonly error: string };
}

const timings: Array<[string, number]> = [];
let project = '';

function timed<T>(label: string, run: () => T): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    timings.push([label, Math.round(performance.now() - started)]);
  }
}

/** The environment without the npm-script variables of the outer `npm test` (workspace, prefix...). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|config_(workspace|workspaces|include_workspace_root|prefix|global|location)$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `\`${command} ${args.join(' ')}\` failed in ${cwd}:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`.trim(),
      { cause: error },
    );
  }
}

function publishablePackages(): PackageInfo[] {
  const packagesDir = join(repoRoot, 'packages');
  const out: PackageInfo[] = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    const manifestPath = join(packagesDir, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      private?: boolean;
      exports?: Record<string, unknown>;
      files?: string[];
    };
    if (manifest.private) continue;
    const dir = join(packagesDir, entry.name);
    if (manifest.files?.includes('dist') && !existsSync(join(dir, 'dist'))) {
      throw new Error(`${manifest.name} is not built (${dir}/dist is missing); run \`npx nx run-many -t build\` first.`);
    }
    const codeSubpaths = Object.entries(manifest.exports ?? { '.': {} })
      .filter(([, target]) => typeof target === 'object' && target !== null)
      .map(([subpath]) => subpath);
    out.push({ name: manifest.name, dir, codeSubpaths });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const specifier = (pkg: PackageInfo, subpath: string) => (subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`);

const packages = publishablePackages();
const specifiers = packages.flatMap((pkg) => pkg.codeSubpaths.map((subpath) => specifier(pkg, subpath)));

/** The consumer stack: the bindings by name from the root, one data source from its subpath. */
const CONSUMER_STACK = `import { App, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AlicloudProvider, CmsEventRule, Fcv3Function, Instance } from '@ecs-pulse/alicloud-provider';
import type { CmsEventRuleConfig } from '@ecs-pulse/alicloud-provider';
import { DataAlicloudZones } from '@ecs-pulse/alicloud-provider/data-alicloud-zones';

class ConsumerStack extends TerraformStack {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AlicloudProvider(this, 'alicloud', { region: 'cn-hangzhou' });
    const zones = new DataAlicloudZones(this, 'zones', { availableInstanceType: 'ecs.g7.large' });
    const host = new Instance(this, 'host', {
      instanceType: 'ecs.g7.large',
      imageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd',
      availabilityZone: zones.zones.get(0).id,
      dataDisks: [{ size: 40, category: 'cloud_essd' }],
    });
    const webhook = new TerraformVariable(this, 'slack_webhook_url', { type: 'string', sensitive: true });
    new Fcv3Function(this, 'forwarder', {
      functionName: 'ecs-pulse-forwarder',
      runtime: 'nodejs20',
      handler: 'index.handler',
      memorySize: 256,
      environmentVariables: { SLACK_WEBHOOK_URL: webhook.stringValue, HOST_IP: host.publicIp },
    });
    const rule: CmsEventRuleConfig = {
      ruleName: 'ecs-pulse',
      eventPattern: { product: 'ecs', eventTypeList: ['StatusNotification'] },
    };
    new CmsEventRule(this, 'rule', rule);
  }
}

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: node stack.js <outdir>');
const app = new App({ outdir });
new ConsumerStack(app, 'consumer');
app.synth();
`;

/** The same bindings through CommonJS type resolution (require condition, .d.cts). */
const CONSUMER_CTS = `import provider = require('@ecs-pulse/alicloud-provider');
import testing = require('@ecs-pulse/alicloud-provider/testing');
const config: provider.InstanceConfig = { instanceType: 'ecs.g7.large', imageId: 'ubuntu' };
const result: testing.StackCheckResult = testing.checkStack({});
export const summary = [config.instanceType, result.ok, typeof provider.Fcv3Function, typeof provider.CmsEventRule];
`;

const LOAD_ESM = `const report = {};
for (const specifier of JSON.parse(process.argv[2])) {
  try {
    const mod = await import(specifier);
    report[specifier] = { exports: Object.keys(mod).length, resolved: import.meta.resolve(specifier) };
  } catch (error) {
    report[specifier] = { error: String(error && error.stack || error) };
  }
}
console.log(JSON.stringify(report));
`;

const LOAD_CJS = `const report = {};
for (const specifier of JSON.parse(process.argv[2])) {
  try {
    const mod = require(specifier);
    report[specifier] = { exports: Object.keys(mod).length, resolved: require.resolve(specifier) };
  } catch (error) {
    report[specifier] = { error: String(error && error.stack || error) };
  }
}
console.log(JSON.stringify(report));
`;

const CHECK_ESM = `import { readFileSync } from 'node:fs';
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
console.log(JSON.stringify(checkStack(readFileSync(process.argv[2], 'utf8'))));
`;

const CHECK_CJS = `const { readFileSync } = require('node:fs');
const { checkStack } = require('@ecs-pulse/alicloud-provider/testing');
const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
doc.resource.alicloud_instance.host.instance_typo = 'x';
doc.resource.alicloud_fcv3_function.forwarder.memory_size = 32;
console.log(JSON.stringify(checkStack(doc)));
`;

describe('pack and consume', () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'ecs-pulse-consumer-'));
    const tarballs = join(project, 'tarballs');
    mkdirSync(tarballs);
    const packed = timed('npm pack (all publishable packages)', () =>
      JSON.parse(
        run('npm', ['pack', '--json', '--pack-destination', tarballs, ...packages.flatMap((pkg) => ['-w', pkg.name])], repoRoot),
      ),
    ) as Array<{ filename: string; unpackedSize: number; name: string }>;
    for (const entry of packed) timings.push([`  ${entry.name} unpacked size (bytes)`, entry.unpackedSize]);

    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'ecs-pulse-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    timed('npm install (tarballs + cdktf, constructs, typescript, @types/node)', () =>
      run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--loglevel=error',
          ...packed.map((entry) => join(tarballs, entry.filename)),
          'cdktf@0.21.0',
          'constructs@^10',
          'typescript@5.9.3',
          '@types/node@^20',
        ],
        project,
      ),
    );
  }, TIMEOUT);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
    const width = Math.max(...timings.map(([label]) => label.length));
    console.log(
      `pack-consume timings (${project}):\n${timings.map(([label, ms]) => `  ${label.padEnd(width)}  ${ms}${label.includes('bytes') ? '' : ' ms'}`).join('\n')}`,
    );
  });

  it('packs every publishable package', () => {
    expect(packages.map((pkg) => pkg.name)).toContain('@ecs-pulse/alicloud-provider');
    for (const pkg of packages) expect(existsSync(join(project, 'node_modules', pkg.name, 'package.json'))).toBe(true);
    // installed from the tarball, not linked to the repo
    const installed = join(project, 'node_modules/@ecs-pulse/alicloud-provider');
    expect(existsSync(join(installed, 'schema/alicloud-provider-subset.json'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  it('imports every package entry from ESM', () => {
    writeFileSync(join(project, 'load.mjs'), LOAD_ESM);
    const report = timed('import() every entry (ESM)', () =>
      JSON.parse(run('node', ['load.mjs', JSON.stringify(specifiers)], project)),
    ) as LoadReport;
    for (const spec of specifiers) {
      expect(report[spec], `${spec} from ESM`).toEqual({ exports: expect.any(Number), resolved: expect.any(String) });
      expect((report[spec] as { exports: number }).exports, `${spec} has exports`).toBeGreaterThan(0);
    }
    expect((report['@ecs-pulse/alicloud-provider'] as { resolved: string }).resolved).toMatch(/\/dist\/index\.js$/);
  }, TIMEOUT);

  it('requires every package entry from CJS', () => {
    writeFileSync(join(project, 'load.cjs'), LOAD_CJS);
    const report = timed('require() every entry (CJS)', () =>
      JSON.parse(run('node', ['load.cjs', JSON.stringify(specifiers)], project)),
    ) as LoadReport;
    for (const spec of specifiers) {
      expect(report[spec], `${spec} from CJS`).toEqual({ exports: expect.any(Number), resolved: expect.any(String) });
      expect((report[spec] as { exports: number }).exports, `${spec} has exports`).toBeGreaterThan(0);
    }
    expect((report['@ecs-pulse/alicloud-provider'] as { resolved: string }).resolved).toMatch(/\/dist\/index\.cjs$/);
  }, TIMEOUT);

  it('exports the alicloud bindings by name from the root and per resource', () => {
    const script = `import * as root from '@ecs-pulse/alicloud-provider';
import { Instance } from '@ecs-pulse/alicloud-provider/instance';
import { Fcv3Function } from '@ecs-pulse/alicloud-provider/fcv3-function';
import { AlicloudProvider } from '@ecs-pulse/alicloud-provider/provider';
console.log(JSON.stringify({
  names: ['AlicloudProvider', 'Fcv3Function', 'Fcv3Trigger', 'Instance', 'CmsEventRule', 'CmsAlarm', 'SecurityGroup', 'DataAlicloudZones', 'AlicloudProviderError'].filter((n) => typeof root[n] === 'function'),
  sameClass: root.Instance === Instance && root.Fcv3Function === Fcv3Function && root.AlicloudProvider === AlicloudProvider,
  types: [Instance.tfResourceType, Fcv3Function.tfResourceType, AlicloudProvider.tfResourceType],
}));
`;
    writeFileSync(join(project, 'names.mjs'), script);
    const result = JSON.parse(run('node', ['names.mjs'], project)) as { names: string[]; sameClass: boolean; types: string[] };
    expect(result).toEqual({
      names: ['AlicloudProvider', 'Fcv3Function', 'Fcv3Trigger', 'Instance', 'CmsEventRule', 'CmsAlarm', 'SecurityGroup', 'DataAlicloudZones', 'AlicloudProviderError'],
      sameClass: true,
      types: ['alicloud_instance', 'alicloud_fcv3_function', 'alicloud'],
    });
  }, TIMEOUT);

  it('type-checks a consumer stack with tsc --strict, synthesizes it, and the packed checker accepts it', () => {
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src/stack.ts'), CONSUMER_STACK);
    writeFileSync(join(project, 'src/consumer.cts'), CONSUMER_CTS);
    writeFileSync(
      join(project, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            types: ['node'],
            outDir: 'dist',
            rootDir: 'src',
            skipLibCheck: false,
          },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
    );
    timed('tsc --strict (consumer stack, ESM + CJS flavours)', () => run('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], project));
    expect(existsSync(join(project, 'dist/stack.js'))).toBe(true);
    expect(existsSync(join(project, 'dist/consumer.cjs'))).toBe(true);

    const outdir = join(project, 'cdktf.out');
    timed('synth (node dist/stack.js)', () => run('node', ['dist/stack.js', outdir], project));
    const synthesized = join(outdir, 'stacks/consumer/cdk.tf.json');
    const doc = JSON.parse(readFileSync(synthesized, 'utf8')) as Record<string, any>;
    expect(doc.terraform.required_providers.alicloud).toEqual({ source: 'aliyun/alicloud', version: '~> 1.289' });
    expect(Object.keys(doc.resource).sort()).toEqual(['alicloud_cms_event_rule', 'alicloud_fcv3_function', 'alicloud_instance']);
    expect(doc.resource.alicloud_cms_event_rule.rule.event_pattern).toEqual({ product: 'ecs', event_type_list: ['StatusNotification'] });

    writeFileSync(join(project, 'check.mjs'), CHECK_ESM);
    const esm = timed('packed checker (ESM)', () => JSON.parse(run('node', ['check.mjs', synthesized], project)));
    expect(esm).toEqual({ ok: true, issues: [], warnings: [] });

    // CJS build of the checker finds the vendored schema and validators too, and reports real issues
    writeFileSync(join(project, 'check.cjs'), CHECK_CJS);
    const cjs = JSON.parse(run('node', ['check.cjs', synthesized], project)) as { ok: boolean; issues: Array<{ code: string; path: string }> };
    expect(cjs.ok).toBe(false);
    expect(cjs.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['INVALID_VALUE', 'resource.alicloud_fcv3_function.forwarder.memory_size'],
      ['UNKNOWN_ARGUMENT', 'resource.alicloud_instance.host.instance_typo'],
    ]);
  }, TIMEOUT);
  it("type-checks the root README's composition example with tsc --strict, synthesizes it, and the packed checker accepts it", () => {
    // Prepare: the first TypeScript block of the README that imports our packages, as a user would paste it
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const snippet = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.includes("from '@ecs-pulse/"));
    expect(snippet, 'README.md has a ```ts example importing @ecs-pulse packages').toBeDefined();
    const dir = join(project, 'readme-example');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/main.ts'), snippet!);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: ['node'], outDir: 'dist', rootDir: 'src', skipLibCheck: false } }, null, 2)}\n`,
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    // Act
    timed('tsc --strict (README example)', () => run('node', [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir));
    const outdir = join(dir, 'cdktf.out');
    execFileSync('node', ['dist/main.js'], { cwd: dir, stdio: 'pipe', env: { ...cleanEnv(), CDKTF_OUTDIR: outdir } });
    // Assess
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks).toHaveLength(1);
    const synthesized = join(outdir, 'stacks', stacks[0]!, 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(synthesized, 'utf8')) as Record<string, any>;
    expect(Object.keys(doc.resource)).toEqual(expect.arrayContaining(['alicloud_fcv3_function', 'alicloud_instance', 'alicloud_cms_alarm']));
    writeFileSync(join(project, 'check-readme.mjs'), CHECK_ESM);
    expect(JSON.parse(run('node', ['check-readme.mjs', synthesized], project))).toEqual({ ok: true, issues: [], warnings: [] });
  }, TIMEOUT);
});
