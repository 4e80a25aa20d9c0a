// The runtime floor of a Node.js cold start: a bare node process that reads the event and posts it to the
// webhook with node:http, nothing else (no parsing, no rendering, no retries). The bundled handler is held
// to a ratio of this, measured in the same loop.
// Run as: node floor-node.cjs <event-file> [builtin...]   (SLACK_WEBHOOK_URL from the environment, an http:// URL)
// Builtins named after the event file (e.g. `crypto https`, what the bundle requires) are loaded first: the
// bench reports that variant as information, to tell the runtime's module cost from the handler's own.
'use strict';
for (const name of process.argv.slice(3)) require(`node:${name}`);
const { readFileSync } = require('node:fs');
const { request } = require('node:http');

const body = JSON.stringify({ text: readFileSync(process.argv[2], 'utf8') });
const req = request(process.env.SLACK_WEBHOOK_URL, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
  res.resume();
  res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1));
});
req.on('error', (error) => {
  process.stderr.write(`post failed: ${error.message}\n`);
  process.exit(1);
});
req.end(body);
