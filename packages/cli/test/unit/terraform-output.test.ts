import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { destroy, plan } from '../../src/commands/lifecycle.js';
import { redactingLines } from '../../src/process.js';
import { clearSecrets, redact, registerSecret } from '../../src/redact.js';
import { fakeApp, pathWith, tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';

const HOOK_SECRET = 'T0AAAAAAA/B0BBBBBBB/SPLITSECRET0123456789';
const TOKEN = 'tok3n-value-that-must-not-leak';

/**
 * A terraform that prints, on both streams, a Slack webhook URL split across two writes 30 ms apart,
 * a `; token=…` pair, and a registered secret split in the middle.
 */
function splittingTerraform(binDir: string, registered: string): void {
  mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, 'terraform');
  writeFileSync(
    file,
    `#!${process.execPath}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sub = process.argv[2];
(async () => {
  if (sub === 'output') { process.stdout.write('{}'); return; }
  for (const stream of [process.stdout, process.stderr]) {
    stream.write('posting to https://hooks.slack.com/serv');
    await sleep(30);
    stream.write('ices/${HOOK_SECRET} now\\n');
    stream.write('callback ok; token=${TOKEN}\\n');
    stream.write('key ${registered.slice(0, 8)}');
    await sleep(30);
    stream.write('${registered.slice(8)} end');
    await sleep(30);
    stream.write('\\n');
  }
})();
`,
  );
  chmodSync(file, 0o755);
}

let root: string;
let bin: string;
beforeEach(() => {
  clearSecrets();
  root = tempDir();
  bin = path.join(root, 'bin');
  fakeApp(path.join(root, 'app'));
});

describe('Terraform output relayed live by plan/deploy/destroy', () => {
  it('is redacted on both streams on line boundaries: a secret split across writes, and `; token=…`', async () => {
    // Prepare
    const registered = 'AccessKeySecretRegistered0123456789';
    registerSecret(registered);
    splittingTerraform(bin, registered);
    const io = testIo({ PATH: pathWith(bin), HOME: root }, root);
    // Act
    await plan({ ...io, app: 'app' });
    await destroy({ ...io, app: 'app', yes: true });
    // Assess: nothing of any secret, the text around them intact
    const text = io.stderr.text() + io.stdout.text();
    for (const leak of ['SPLITSECRET', 'B0BBBBBBB', TOKEN, registered, registered.slice(8), registered.slice(0, 8)]) expect(text).not.toContain(leak);
    expect(text).toContain('posting to https://hooks.slack.com/services/*** now\n');
    expect(text).toContain('callback ok; token=***\n');
    expect(text).toContain('key *** end\n');
    // once per stream per relayed run: plan (init, plan) and destroy (init, destroy); `output -json` is not relayed
    expect(text.split('callback ok; token=***').length - 1).toBe(2 * 4);
  });
});

describe('redactingLines', () => {
  it('holds a partial line until its newline, flushes the rest at the end', () => {
    const out = capture();
    const w = redactingLines(out);
    w.write('a https://hooks.slack.com/services/T1/B1/');
    expect(out.text()).toBe('');
    w.write('XYZ\nb; token=abc');
    expect(out.text()).toBe('a https://hooks.slack.com/services/***\n');
    w.end();
    expect(out.text()).toBe('a https://hooks.slack.com/services/***\nb; token=***');
  });

  it('redacts name=value secrets anywhere, not only after ? or &', () => {
    expect(redact('x; token=abc123, y')).toBe('x; token=***, y');
    expect(redact('password=hunter2')).toBe('password=***');
    expect(redact('--context key=value')).toBe('--context key=value');
  });
});
