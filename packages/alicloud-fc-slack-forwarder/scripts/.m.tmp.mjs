import { build } from 'esbuild';
import { join } from 'node:path';
const V = { './thread-route-config.js': 'thread-route-config-require.ts', './thread-route-load.js': 'thread-route-require.ts' };
const r = await build({ entryPoints: ['src/function/index.ts'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: process.env.MIN !== '0', charset: 'utf8', legalComments: 'none', metafile: true, write: false,
  plugins: [{ name: 'v', setup(b) { b.onResolve({ filter: /^\.\/thread-route-(config|load)\.js$/ }, (a) => ({ path: join(a.resolveDir, V[a.path]) })); } }],
  alias: process.env.SRC === '1' ? { '@ecs-pulse/slack-notifier': '../slack-notifier/src/index.ts', '@ecs-pulse/cloudmonitor-event-parser': '../cloudmonitor-event-parser/src/index.ts' } : {} });
const out = Object.values(r.metafile.outputs)[0];
console.log('total', out.bytes);
for (const [b, k] of Object.entries(out.inputs).map(([k, v]) => [v.bytesInOutput, k]).sort((a, b) => b[0] - a[0])) if (b > 0) console.log(String(b).padStart(7), k);
if (process.env.OUT) (await import('node:fs')).writeFileSync(process.env.OUT, r.outputFiles[0].text);
