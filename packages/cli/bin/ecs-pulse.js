#!/usr/bin/env node
// The `ecs-pulse` entry. In a clone, `npm ci` without `npm run build` leaves no dist/ behind: say so in one
// line instead of Node's ERR_MODULE_NOT_FOUND stack. The CLI loads its commands lazily, so the dist/ files of
// the @ecs-pulse packages it imports are checked up front too (a few stat calls).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const notBuilt = (missing) => {
  process.stderr.write(
    `ecs-pulse: the packages are not built (${missing} is missing). Run \`npm run build\` in the repository root (after \`npm ci\`), then try again. [NOT_BUILT]\n`,
  );
  process.exit(3);
};
const shown = (file) =>
  /[\\/](packages[\\/][^\\/]+[\\/]dist[\\/].*)$/.exec(file)?.[1] ?? /[\\/](dist[\\/].*)$/.exec(file)?.[1] ?? file;

/** The ESM files a package's `exports` map points at (the `import`/`default` leaves). */
function esmTargets(exports, out = []) {
  if (typeof exports === 'string') out.push(exports);
  else if (exports && typeof exports === 'object') {
    for (const [key, value] of Object.entries(exports)) {
      if (key === 'require' || key === 'types') continue;
      esmTargets(value, out);
    }
  }
  return out;
}

/** The first missing dist file of an @ecs-pulse package this CLI depends on, when it is found on disk. */
function firstMissingDependencyFile() {
  const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  let deps = {};
  try {
    deps = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')).dependencies ?? {};
  } catch {
    return undefined;
  }
  for (const name of Object.keys(deps).filter((d) => d.startsWith('@ecs-pulse/'))) {
    // node_modules/@ecs-pulse/<name> next to the CLI (a clone or an install); not found: leave it to Node
    let dir = cliDir;
    let pkgDir;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        pkgDir = candidate;
        break;
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    if (pkgDir === undefined) continue;
    pkgDir = realpathSync(pkgDir); // a workspace link: name the package folder in the clone
    let exports;
    try {
      exports = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports;
    } catch {
      continue;
    }
    for (const target of esmTargets(exports)) {
      if (!target.includes('/dist/')) continue;
      const file = join(pkgDir, target);
      if (!existsSync(file)) return file;
    }
  }
  return undefined;
}

let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  const code = error && typeof error === 'object' ? error.code : undefined;
  const message = String(error && typeof error === 'object' && 'message' in error ? error.message : error);
  if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
  // "Cannot find module '/…/packages/x/dist/y.js' imported from …" or "Cannot find package 'cdktf' imported from …"
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1] ?? 'a module';
  if (/[\\/]dist[\\/]/.test(missing)) notBuilt(shown(missing));
  process.stderr.write(
    `ecs-pulse: a dependency is not installed (${missing}). Run \`npm ci\` and then \`npm run build\` in the repository root. [NOT_BUILT]\n`,
  );
  process.exit(3);
}
const missingDependency = firstMissingDependencyFile();
if (missingDependency !== undefined) notBuilt(shown(missingDependency));

process.exit(await cli.main(process.argv));
