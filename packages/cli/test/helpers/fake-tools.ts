import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'ecs-pulse-cli-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** One recorded call of a fake executable. */
export interface Call {
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
}

/**
 * Write a fake executable named `name` into `binDir`. It appends `{args, cwd}` as a JSON line to
 * `<binDir>/<name>.log`, prints `<binDir>/<name>.<firstArg>.stdout` when present, and exits with the
 * number in `<binDir>/<name>.<firstArg>.exit` when present (else 0).
 */
export function fakeExecutable(binDir: string, name: string): { readonly calls: () => Call[] } {
  mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, name);
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const dir = ${JSON.stringify(binDir)};
const name = ${JSON.stringify(name)};
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, name + '.log'), JSON.stringify({ args, cwd: process.cwd(), env: { TF_IN_AUTOMATION: process.env.TF_IN_AUTOMATION } }) + '\\n');
const sub = args[0] || '';
const out = path.join(dir, name + '.' + sub + '.stdout');
if (fs.existsSync(out)) process.stdout.write(fs.readFileSync(out));
else if (sub === 'output') process.stdout.write('{}');
else process.stdout.write(name + ' ' + args.join(' ') + ' ok\\n');
const err = path.join(dir, name + '.' + sub + '.stderr');
if (fs.existsSync(err)) process.stderr.write(fs.readFileSync(err));
const code = path.join(dir, name + '.' + sub + '.exit');
process.exit(fs.existsSync(code) ? Number(fs.readFileSync(code, 'utf8')) : 0);
`,
  );
  chmodSync(file, 0o755);
  const log = path.join(binDir, `${name}.log`);
  return {
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Call)
        : [],
  };
}

/**
 * A minimal cdktf app: cdktf.json whose `app` is a node script writing a manifest with the given
 * stacks into $CDKTF_OUTDIR, and recording CDKTF_CONTEXT_JSON.
 */
export function fakeApp(dir: string, stacks: readonly string[] = ['stress-test'], opts: { fail?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ app: 'node synth.mjs', language: 'typescript' }));
  writeFileSync(
    path.join(dir, 'synth.mjs'),
    `import fs from 'node:fs';
import path from 'node:path';
${opts.fail ? "console.error('boom: the app threw'); process.exit(7);" : ''}
const out = process.env.CDKTF_OUTDIR;
const stacks = {};
for (const name of ${JSON.stringify(stacks)}) {
  fs.mkdirSync(path.join(out, 'stacks', name), { recursive: true });
  fs.writeFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), '{}');
  stacks[name] = { name, workingDirectory: path.join('stacks', name), synthesizedStackPath: path.join('stacks', name, 'cdk.tf.json') };
}
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks }));
fs.writeFileSync(path.join(process.cwd(), 'context.json'), process.env.CDKTF_CONTEXT_JSON || 'null');
console.log('synthesized');
`,
  );
  return dir;
}

export function pathWith(binDir: string): string {
  // Keep node reachable for "node synth.mjs"; drop everything else (no real terraform).
  return [binDir, path.dirname(process.execPath), '/bin', '/usr/bin'].join(path.delimiter);
}
