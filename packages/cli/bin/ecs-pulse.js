#!/usr/bin/env node
// The `ecs-pulse` entry. In a clone, `npm ci` without `npm run build` leaves no dist/ behind: say so in one
// line instead of Node's ERR_MODULE_NOT_FOUND stack.
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  const code = error && typeof error === 'object' ? error.code : undefined;
  const message = String(error && typeof error === 'object' && 'message' in error ? error.message : error);
  if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
  // "Cannot find module '/…/packages/x/dist/y.js' imported from …" or "Cannot find package 'cdktf' imported from …"
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1] ?? 'a module';
  const shown = /[\\/](packages[\\/][^\\/]+[\\/]dist[\\/].*)$/.exec(missing)?.[1] ?? /[\\/](dist[\\/].*)$/.exec(missing)?.[1] ?? missing;
  const built = /[\\/]dist[\\/]/.test(missing);
  process.stderr.write(
    built
      ? `ecs-pulse: the packages are not built (${shown} is missing). Run \`npm run build\` in the repository root (after \`npm ci\`), then try again. [NOT_BUILT]\n`
      : `ecs-pulse: a dependency is not installed (${shown}). Run \`npm ci\` and then \`npm run build\` in the repository root. [NOT_BUILT]\n`,
  );
  process.exit(3);
}

process.exit(await cli.main(process.argv));
