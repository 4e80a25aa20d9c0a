import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions, extractSnippets, findReadmes, lowestNode, usesTopLevelAwait, type Snippet } from './snippets.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const readmes = findReadmes(repoRoot);
const snippets: Snippet[] = readmes.flatMap((readme) => extractSnippets(readme, readFileSync(path.join(repoRoot, readme), 'utf8')));

/**
 * A consumer project outside the repository: `"type": "module"`, tsc --strict, NodeNext resolution and the
 * repository's node_modules (where `@ecs-pulse/*` are the workspace packages with their built dist/, resolved
 * through their package.json `exports`, exactly as an installed package is).
 */
let project = '';
let compileErrors: string[] = [];
/** Blocks that read SLACK_WEBHOOK_URL get this local Slack-compatible sink: nothing leaves the machine. */
let sink: SlackSink | undefined;

beforeAll(async () => {
  sink = await startSlackSink();
  project = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-docs-'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  writeFileSync(path.join(project, 'package.json'), '{ "name": "readme-consumer", "private": true, "type": "module" }\n');
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          rootDir: 'src',
          outDir: 'out',
          skipLibCheck: false,
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
  mkdirSync(path.join(project, 'src'));
  for (const s of snippets) writeFileSync(path.join(project, 'src', s.file), s.code);
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--strict', '--pretty', 'false'], { cwd: project, encoding: 'utf8', timeout: 240_000 });
  const byFile = new Map(snippets.map((s) => [s.file, s]));
  // src/root-1.ts(12,5): error TS2304: Cannot find name 'x'.  →  README.md:34:5 (block 1): error TS2304: …
  compileErrors = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^src\/([^()]+)\((\d+),(\d+)\): (.*)$/.exec(l);
      const s = m ? byFile.get(m[1]!) : undefined;
      return s && m ? `${s.readme}:${s.line + Number(m[2]) - 1}:${m[3]} (block ${s.index}): ${m[4]}` : l;
    });
  if (r.status !== 0 && compileErrors.length === 0) compileErrors = [`tsc exited with ${r.status}: ${r.error?.message ?? ''}`];
}, 300_000);

afterAll(async () => {
  await sink?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});


/** A dependency's package.json, also when its `exports` do not list `./package.json` (chartist). */
function packageJsonOf(dep: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', dep, 'package.json');
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) throw new Error(`${dep} is not installed (looked up from ${from})`);
  }
}

describe('README snippets: extracted from every README', () => {
  it('reads the root README and every package, example and tool README', () => {
    expect(readmes[0]).toBe('README.md');
    for (const dir of ['packages', 'examples', 'tools']) {
      const expected = readdirSync(path.join(repoRoot, dir))
        .filter((name) => existsSync(path.join(repoRoot, dir, name, 'README.md')))
        .map((name) => `${dir}/${name}/README.md`);
      expect(readmes.filter((r) => r.startsWith(`${dir}/`))).toEqual(expected.sort());
    }
    expect(snippets.length).toBeGreaterThanOrEqual(12);
  });

  it('extracts ts and typescript blocks, indented ones, their README line and the no-run mark', () => {
    const md = ['# x', '```ts', "import a from 'a';", '```', '- item', '  ```typescript', '  // no-run: deploys', '  const b = 1;', '  ```', '```sh', 'ls', '```'].join('\n');
    expect(extractSnippets('packages/x/README.md', md)).toEqual([
      { readme: 'packages/x/README.md', index: 1, line: 3, code: "import a from 'a';\n", noRun: false, file: 'packages-x-1.ts' },
      { readme: 'packages/x/README.md', index: 2, line: 7, code: '// no-run: deploys\nconst b = 1;\n', noRun: true, file: 'packages-x-2.ts' },
    ]);
    expect(() => extractSnippets('README.md', '```ts\nconst a = 1;\n')).toThrow('README.md:1: a ```ts block is never closed');
  });

  it('type-checks every block with tsc --strict as a consumer (package names, "type": "module")', () => {
    expect(compileErrors).toEqual([]);
  });

  it('imports the packages by name, never by a relative path into the repository', () => {
    const relative = snippets.filter((s) => /from\s+'\.{1,2}\//.test(s.code)).map((s) => `${s.readme} block ${s.index}`);
    expect(relative).toEqual([]);
  });

  it('says "type": "module" in every README whose blocks await at the top level', () => {
    const missing = [...new Set(snippets.filter((s) => usesTopLevelAwait(s.code)).map((s) => s.readme))].filter(
      (readme) => !readFileSync(path.join(repoRoot, readme), 'utf8').includes('"type": "module"'),
    );
    expect(missing).toEqual([]);
  });
});

describe('README snippets: each block runs (unless marked // no-run)', () => {
  for (const s of snippets) {
    it.skipIf(s.noRun)(`${s.readme} block ${s.index} (line ${s.line})`, async () => {
      expect(compileErrors.filter((e) => e.startsWith(`${s.readme}:`) && e.includes(`(block ${s.index})`))).toEqual([]);
      const outdir = path.join(project, `cdktf.out-${s.file.replace(/\.ts$/, '')}`);
      // async, so that this process's sink can answer while the block runs
      const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.join('out', s.file.replace(/\.ts$/, '.js'))], {
          cwd: project,
          env: { PATH: process.env['PATH'] ?? '', HOME: project, NO_COLOR: '1', CDKTF_OUTDIR: outdir, SLACK_WEBHOOK_URL: sink!.url },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 60_000,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect(r.status, `${s.readme}:${s.line} exited with ${r.status}\n${r.stdout}\n${r.stderr}`).toBe(0);
      if (/\bapp\.synth\(\)/.test(s.code)) {
        // a synthesizing block must have produced a stack that the provider schema accepts
        const stacks = readdirSync(path.join(outdir, 'stacks'));
        expect(stacks.length).toBeGreaterThan(0);
        for (const stack of stacks) expect(checkStack(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).issues).toEqual([]);
      }
    });
  }
});

describe('READMEs agree with the code', () => {
  it("the CLI README's console samples use the example's real stack name, output names and key file", () => {
    const example = path.join(repoRoot, 'examples', 'stress-test-environment');
    const outdir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-docs-example-'));
    const cdktf = JSON.parse(readFileSync(path.join(example, 'cdktf.json'), 'utf8')) as { app: string };
    const [cmd, ...args] = cdktf.app.split(' ');
    execFileSync(cmd!, args, {
      cwd: example,
      stdio: 'pipe',
      env: { PATH: process.env['PATH'] ?? '', HOME: outdir, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify({ ssh: true }) },
    });
    const stacks = readdirSync(path.join(outdir, 'stacks'));
    const stack = stacks[0]!;
    const doc = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { output: Record<string, { value: unknown }> };
    const outputs = Object.keys(doc.output);
    const keyFile = String(doc.output['ssh_private_key_path']?.value ?? '');
    rmSync(outdir, { recursive: true, force: true });

    const readme = readFileSync(path.join(repoRoot, 'packages', 'cli', 'README.md'), 'utf8');
    const consoleBlocks = [...readme.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const named = consoleBlocks.flatMap((b) => [...b.matchAll(/(?:Deployed|Destroyed) stack (\S+?)\.|cdktf\.out\/stacks\/(\S+)|^ {2}(\S+) {2}\//gm)].map((m) => m[1] ?? m[2] ?? m[3]));
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)]).toEqual(stacks);
    const deployed = consoleBlocks.find((b) => b.includes('Deployed stack'));
    const shownOutputs = [...(deployed ?? '').matchAll(/^ {2}(\w+) = /gm)].map((m) => m[1]!);
    expect(shownOutputs.length).toBeGreaterThan(0);
    expect(shownOutputs.filter((o) => !outputs.includes(o))).toEqual([]);
    // the key file: `<app>/.ecs-pulse/<stack>-hosts.pem` in the code, the same relative path in the samples
    const keyTail = path.join(path.basename(path.dirname(keyFile)), path.basename(keyFile));
    expect(keyTail).toBe(`.ecs-pulse/${stack}-hosts.pem`);
    const pemPaths = [...readme.matchAll(/\/work\/app\/(\S+\.pem)/g)].map((m) => m[1]);
    expect(pemPaths.length).toBeGreaterThan(0);
    expect([...new Set(pemPaths)]).toEqual([keyTail]);
  }, 120_000);

  it('engines: each package asks for the Node.js its dependencies need, the root for its toolchain, and the READMEs say the same', () => {
    const require = createRequire(path.join(repoRoot, 'package.json'));
    const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
    const show = (v: readonly number[]) => (v[2] ? `${v[0]}.${v[1]}.${v[2]}` : v[1] ? `${v[0]}.${v[1]}` : `${v[0]}`);
    const problems: string[] = [];
    const floors: Array<[string, [number, number, number]]> = [];
    for (const name of readdirSync(path.join(repoRoot, 'packages')).sort()) {
      const dir = path.join(repoRoot, 'packages', name);
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name: string;
        engines?: { node?: string };
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      if (!pkg.engines?.node) {
        problems.push(`${pkg.name}: no engines.node`);
        continue;
      }
      const own = lowestNode(pkg.engines.node);
      let needed: [number, number, number] = [20, 0, 0];
      let why = 'Node.js 20, the oldest line the packages support';
      for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
        const depPkg = JSON.parse(readFileSync(packageJsonOf(dep, dir), 'utf8')) as { engines?: { node?: string } };
        if (!depPkg.engines?.node) continue;
        const v = lowestNode(depPkg.engines.node);
        if (compareVersions(v, needed) > 0) [needed, why] = [v, `${dep} needs ${depPkg.engines.node}`];
      }
      if (compareVersions(own, needed) !== 0) problems.push(`${pkg.name}: engines.node is "${pkg.engines.node}", the code needs >=${show(needed)} (${why})`);
      floors.push([pkg.name, own]);
      const said = [...readFileSync(path.join(dir, 'README.md'), 'utf8').matchAll(/\bNode(?:\.js)? (?:(\d+(?:\.\d+)*)\+|(?:≥|>=) ?(\d+(?:\.\d+)*))/g)].map((m) => m[1] ?? m[2]);
      for (const s of said) if (s !== show(own)) problems.push(`packages/${name}/README.md says Node ${s}+, engines.node says >=${show(own)}`);
    }
    // The root is the toolchain: vitest 4's bundler (rolldown) needs ^20.19.0 || >=22.12.0.
    const rootNeeds = lowestNode(JSON.parse(readFileSync(require.resolve('rolldown/package.json', { paths: [require.resolve('vitest')] }), 'utf8')).engines.node);
    const rootOwn = lowestNode(root.engines.node);
    if (compareVersions(rootOwn, rootNeeds) !== 0) problems.push(`package.json: engines.node is "${root.engines.node}", the toolchain needs >=${show(rootNeeds)}`);
    for (const [name, v] of floors) if (compareVersions(rootOwn, v) < 0) problems.push(`package.json: engines.node is below ${name}'s`);
    const rootReadme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    if (!rootReadme.includes(`Node >= ${show(rootOwn)}`)) problems.push(`README.md does not say "Node >= ${show(rootOwn)}" for the set-up`);
    expect(problems).toEqual([]);
  });
});

describe('usesTopLevelAwait', () => {
  it('finds an await outside every function, also inside a top-level try block, and ignores awaits in functions', () => {
    expect(usesTopLevelAwait('const a = await f();\n')).toBe(true);
    expect(usesTopLevelAwait('try {\n  const { x } = await f();\n} catch {}\n')).toBe(true);
    expect(usesTopLevelAwait('for await (const x of xs) console.log(x);\n')).toBe(true);
    expect(usesTopLevelAwait('export async function g() {\n  await f();\n}\nconst h = async () => { await f(); };\n')).toBe(false);
  });
});
