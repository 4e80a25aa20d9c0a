// Cold start as FC pays it: a NEW node process loads the bundled function, handles one event, exits.
// Run as: node cold-node.cjs <bundle.cjs> <event-file>   (SLACK_WEBHOOK_URL from the environment)
'use strict';
const { readFileSync } = require('node:fs');

const [bundle, eventFile] = process.argv.slice(2);
const { handler } = require(bundle);
const context = { requestId: 'bench', function: { name: 'bench', handler: 'index.handler', memory: 128, timeout: 30 }, getRemainingTimeInMS: () => 30_000 };
handler(readFileSync(eventFile), context).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`handler failed: ${error && error.message}\n`);
    process.exit(1);
  },
);
