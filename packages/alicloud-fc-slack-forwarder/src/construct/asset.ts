import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlackForwarderError } from '../errors.js';

const PACKAGE_NAME = '@ecs-pulse/alicloud-fc-slack-forwarder';

/**
 * The folder of the module that runs this code, in every build: `__dirname` in the CommonJS build, the
 * `import.meta.url` of the ESM build. No tsup shims are involved: each branch is only taken where it works.
 */
function moduleDir(): string {
  if (typeof __dirname === 'string' && __dirname !== '') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

let cached: string | undefined;

/**
 * The ABSOLUTE path of the bundled function archive (`dist/function.zip`, `index.js` at its root), found by
 * walking up from this module to this package's own `package.json`. Works from `dist/` (published, ESM or
 * CJS) and from `src/` (tests), whatever the current directory is, so cdktf never resolves a relative asset
 * path against a `cdktf.json` of the consumer.
 *
 * @throws SlackForwarderError `ASSET_NOT_FOUND` when the package was not built.
 *
 * @example
 * ```ts
 * import { functionArchivePath } from '@ecs-pulse/alicloud-fc-slack-forwarder';
 *
 * functionArchivePath(); // '/…/node_modules/@ecs-pulse/alicloud-fc-slack-forwarder/dist/function.zip'
 * ```
 */
export function functionArchivePath(): string {
  if (cached !== undefined) return cached;
  let dir = moduleDir();
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let name: unknown;
      try {
        name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      } catch {
        name = undefined;
      }
      if (name === PACKAGE_NAME) {
        const archive = resolve(dir, 'dist', 'function.zip');
        if (!existsSync(archive)) {
          throw new SlackForwarderError(
            'ASSET_NOT_FOUND',
            `The bundled function ${archive} does not exist. Build ${PACKAGE_NAME} first (npm run build in its folder); a published copy always contains it.`,
          );
        }
        cached = archive;
        return archive;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new SlackForwarderError(
    'ASSET_NOT_FOUND',
    `Could not find the package.json of ${PACKAGE_NAME} above ${moduleDir()}; the package layout is broken. Reinstall the package.`,
  );
}
