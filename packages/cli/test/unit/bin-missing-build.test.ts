import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const realBin = path.join(packageDir, 'bin', 'ecs-pulse.js');

/** The bin as it sits in a clone: <tmp>/packages/cli/bin/ecs-pulse.js, with `dist` files as given. */
function layout(dist: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-bin-'));
  const cli = path.join(root, 'packages', 'cli');
  mkdirSync(path.join(cli, 'bin'), { recursive: true });
  writeFileSync(path.join(cli, 'package.json'), '{"type":"module"}\n');
  copyFileSync(realBin, path.join(cli, 'bin', 'ecs-pulse.js'));
  for (const [file, text] of Object.entries(dist)) {
    mkdirSync(path.dirname(path.join(cli, 'dist', file)), { recursive: true });
    writeFileSync(path.join(cli, 'dist', file), text.replaceAll('<root>', root));
  }
  return path.join(cli, 'bin', 'ecs-pulse.js');
}

const run = (bin: string, args: string[] = ['--help']) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' }, timeout: 30_000 });

describe('bin/ecs-pulse.js on an unbuilt clone (npm ci without npm run build)', () => {
  it('says to run npm run build, names the missing file, exits 3, prints no stack', () => {
    const r = run(layout({}));
    expect(r.stderr).toBe(
      'ecs-pulse: the packages are not built (packages/cli/dist/cli.js is missing). Run `npm run build` in the repository root (after `npm ci`), then try again. [NOT_BUILT]\n',
    );
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('names a dependency package whose dist is missing', () => {
    const r = run(layout({ 'cli.js': "export { main } from '<root>/packages/slack-notifier/dist/index.js';\n" }));
    expect(r.stderr).toContain('ecs-pulse: the packages are not built (packages/slack-notifier/dist/index.js is missing). Run `npm run build`');
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
    expect(r.status).toBe(3);
  });

  it('checks the dist files of the @ecs-pulse packages it imports lazily (a partial build), before running', () => {
    const bin = layout({ 'cli.js': "export const main = async () => { process.stdout.write('ran'); return 0; };\n" });
    const root = path.resolve(path.dirname(bin), '..', '..', '..');
    writeFileSync(path.join(root, 'packages', 'cli', 'package.json'), JSON.stringify({ type: 'module', dependencies: { '@ecs-pulse/slack-notifier': '^0.0.0', cdktf: '^0.21.0' } }));
    const notifier = path.join(root, 'packages', 'slack-notifier');
    mkdirSync(path.join(notifier, 'dist'), { recursive: true });
    writeFileSync(path.join(notifier, 'dist', 'index.js'), 'export {};\n');
    writeFileSync(
      path.join(notifier, 'package.json'),
      JSON.stringify({ name: '@ecs-pulse/slack-notifier', exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' }, require: './dist/index.cjs' }, './testing': './dist/testing.js' } }),
    );
    mkdirSync(path.join(root, 'node_modules', '@ecs-pulse'), { recursive: true });
    symlinkSync(notifier, path.join(root, 'node_modules', '@ecs-pulse', 'slack-notifier'), 'dir');
    const r = run(bin);
    expect(r.stderr).toContain('ecs-pulse: the packages are not built (packages/slack-notifier/dist/testing.js is missing). Run `npm run build`');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(3);
    // built: the CLI runs
    writeFileSync(path.join(notifier, 'dist', 'testing.js'), 'export {};\n');
    const ok = run(bin);
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, 'ran', '']);
  });

  it('says to run npm ci when a third-party package is not installed', () => {
    const r = run(layout({ 'cli.js': "export { main } from 'ecs-pulse-no-such-package';\n" }));
    expect(r.stderr).toBe(
      "ecs-pulse: a dependency is not installed (ecs-pulse-no-such-package). Run `npm ci` and then `npm run build` in the repository root. [NOT_BUILT]\n",
    );
    expect(r.status).toBe(3);
  });

  it('does not hide other load errors (a broken build still shows its real error)', () => {
    const r = run(layout({ 'cli.js': 'export const main = ;\n' }));
    expect(r.stderr).toContain('SyntaxError');
    expect(r.stderr).not.toContain('NOT_BUILT');
    expect(r.status).not.toBe(0);
  });

  it('runs the built CLI when dist is there', () => {
    const r = run(realBin, ['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('ecs-pulse');
  });
});
