import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needTools } from '@ecs-pulse/test-tools';
import { BUNDLE } from '../helpers.js';

// dist/function.cjs requires `node:https` (and with it `node:tls`) and `node:crypto` only when they are used
// (tsup.config.ts, src/function/lazy-https.ts and lazy-crypto.ts): these tests run the built file in a new
// process, record every id its module requires, and check that an https: webhook still delivers.

const EVENT = fileURLToPath(new URL('../fixtures/events/cms-event-ecs-instance-statechange-stopped.json', import.meta.url));
// The https: test makes a self-signed certificate with openssl: skipped without it, failed under ECS_PULSE_REQUIRE_TOOLS=1.
const tls = needTools(['openssl']);
const hasOpenssl = tls.available;

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  /** Every id the bundle's module required, in order (built-ins as the bundle names them). */
  readonly requires: string[];
  readonly lines: Record<string, unknown>[];
  readonly result: unknown;
}

/** Runs one event through index.js (a copy of dist/function.cjs) in a new node process, asynchronously (a sink in this process must answer). */
function runBundle(event: Buffer, env: Record<string, string>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-pulse-fn-lazy-'));
  temp.push(dir);
  copyFileSync(BUNDLE, join(dir, 'index.js'));
  writeFileSync(join(dir, 'event.json'), event);
  writeFileSync(
    join(dir, 'run.js'),
    [
      "const Module = require('node:module');",
      "const { readFileSync, writeFileSync } = require('node:fs');",
      'const requires = [];',
      'const original = Module.prototype.require;',
      "Module.prototype.require = function (id) { if (this.filename && this.filename.endsWith('index.js')) requires.push(id); return original.apply(this, arguments); };",
      "const m = require('./index.js');",
      "const context = { requestId: 'r-lazy', function: { name: 'f', handler: 'index.handler', memory: 128, timeout: 30 }, getRemainingTimeInMS: () => 20000 };",
      "m.handler(readFileSync('./event.json'), context).then((v) => ({ resolved: v }), (e) => ({ rejected: e.code })).then((result) => writeFileSync('./out.json', JSON.stringify({ requires, result })));",
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['run.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (status) => {
      try {
        const { requires, result } = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { requires: string[]; result: unknown };
        const lines = output.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ status, requires, lines, result });
      } catch (error) {
        reject(new Error(`the bundle run failed (exit ${status}): ${output.slice(0, 800)}`, { cause: error }));
      }
    });
  });
}

const isHttps = (id: string) => id === 'https' || id === 'node:https';
const isCrypto = (id: string) => id === 'crypto' || id === 'node:crypto';

describe('dist/function.cjs requires node:https and node:crypto only when it uses them', () => {
  it('an event with an id posted to an http: loopback sink loads neither', async () => {
    const sink = await startSlackSink();
    try {
      const run = await runBundle(readFileSync(EVENT), { SLACK_WEBHOOK_URL: sink.url });
      expect(run.result).toMatchObject({ resolved: { ok: true, summary: { delivered: 1 } } });
      expect(sink.messages).toHaveLength(1);
      expect(run.requires).toContain('http');
      expect(run.requires.filter(isHttps)).toEqual([]);
      expect(run.requires.filter(isCrypto)).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('an event without an id loads node:crypto for its payload hash, and is delivered under that id', async () => {
    const sink = await startSlackSink();
    try {
      const { id, ...withoutId } = JSON.parse(readFileSync(EVENT, 'utf8')) as Record<string, unknown>;
      expect(id).toBeTypeOf('string');
      const run = await runBundle(Buffer.from(JSON.stringify(withoutId)), { SLACK_WEBHOOK_URL: sink.url });
      expect(run.result).toMatchObject({ resolved: { ok: true, summary: { delivered: 1 } } });
      expect(run.requires.filter(isCrypto)).toEqual(['node:crypto']);
      expect(run.requires.filter(isHttps)).toEqual([]);
      expect(run.lines.find((l) => l.msg === 'alert')).toMatchObject({ outcome: 'delivered', id: expect.stringMatching(/^sha256:[0-9a-f]{32}$/) });
    } finally {
      await sink.close();
    }
  });

  describe('an https: webhook', () => {
    let dir = '';
    let key = '';
    let cert = '';
    beforeAll(() => {
      if (!hasOpenssl) return;
      // A throwaway self-signed certificate for 127.0.0.1, trusted by the child through NODE_EXTRA_CA_CERTS.
      dir = mkdtempSync(join(tmpdir(), 'ecs-pulse-tls-'));
      temp.push(dir);
      const made = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        { encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
      key = readFileSync(join(dir, 'key.pem'), 'utf8');
      cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    });

    tls.it('still delivers: node:https is required at the first send, the message arrives over TLS', async () => {
      const bodies: string[] = [];
      const server = createServer({ key, cert }, (req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          bodies.push(`${req.method} ${req.url} ${body}`);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const run = await runBundle(readFileSync(EVENT), { SLACK_WEBHOOK_URL: `https://127.0.0.1:${port}/services/T0/B0/tls-test`, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
        expect(run.result).toMatchObject({ resolved: { ok: true, summary: { delivered: 1 } } });
        expect(run.requires.filter(isHttps)).toEqual(['node:https']);
        expect(bodies).toHaveLength(1);
        expect(bodies[0]).toMatch(/^POST \/services\/T0\/B0\/tls-test \{/);
        expect(JSON.parse(bodies[0]!.slice(bodies[0]!.indexOf('{'))) as { text?: string }).toHaveProperty('text');
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});
