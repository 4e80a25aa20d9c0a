import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, httpEvent } from '../helpers.js';

const ZIP = fileURLToPath(new URL('../../dist/function.zip', import.meta.url));
const THREAD_CHUNK = fileURLToPath(new URL('../../dist/function-threads.cjs', import.meta.url));
const HTTP_CHUNK = fileURLToPath(new URL('../../dist/function-http.cjs', import.meta.url));
const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** A minimal ZIP reader (independent of the writer in scripts/): entries of the central directory. */
function readZip(buffer: Buffer): { name: string; data: Buffer; method: number; crc: number; mode: number }[] {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    expect(buffer.readUInt32LE(offset)).toBe(0x02014b50);
    const method = buffer.readUInt16LE(offset + 10);
    const crc = buffer.readUInt32LE(offset + 16);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const mode = buffer.readUInt32LE(offset + 38) >>> 16;
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const localNameLength = buffer.readUInt16LE(localOffset + 26);
    const localExtraLength = buffer.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = buffer.subarray(start, start + compressedSize);
    entries.push({ name, method, crc, mode, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('Artifact: dist/function.cjs', () => {
  it('loads alone from an empty folder in a new node process and exports both handlers', () => {
    // Prepare: the file alone, named as FC names it, no node_modules anywhere above a temp dir.
    const dir = mkdtempSync(join(tmpdir(), 'ecs-pulse-fn-'));
    temp.push(dir);
    copyFileSync(BUNDLE, join(dir, 'index.js'));
    // Act
    const run = spawnSync(process.execPath, ['-e', "const m = require('./index.js'); console.log(JSON.stringify({ handler: typeof m.handler, legacyHandler: typeof m.legacyHandler }))"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    // Assess: the exports on stdout; the cold-start config error as one JSON line on stderr (no env set).
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ handler: 'function', legacyHandler: 'function' });
    expect(JSON.parse(run.stderr.trim())).toMatchObject({ level: 'error', msg: 'config-invalid' });
  });

  it('handles an event end to end when run alone (config error path, no network)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-pulse-fn-'));
    temp.push(dir);
    copyFileSync(BUNDLE, join(dir, 'index.js'));
    writeFileSync(
      join(dir, 'run.js'),
      "require('./index.js').handler(Buffer.from('{}'), { requestId: 'r' }).then(() => console.log('resolved'), (e) => console.log('rejected ' + e.code));",
    );
    const run = spawnSync(process.execPath, ['run.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('rejected INVALID_CONFIG');
    // stderr: the cold-start config error, the per-invocation one and the invocation line, all JSON.
    expect(run.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['config-invalid', 'config-invalid', 'invocation']);
  });

  it('requires nothing but Node.js built-ins and, lazily, its HTTP and thread-route chunks (which require only built-ins)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const requiredBy = (file: string) => [...readFileSync(file, 'utf8').matchAll(/require\((["'`])([^"'`]+)\1\)/g)].map((m) => m[2]!);
    const main = requiredBy(BUNDLE);
    expect(main.length).toBeGreaterThan(0);
    expect([...new Set(main.filter((r) => !builtins.has(r)))].sort()).toEqual(['./function-http.cjs', './function-threads.cjs']);
    // The chunk's requires sit inside functions (bot-token route validation and delivery), none at the top level.
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code.match(/module\.require\("\.\/function-threads\.cjs"\)/g)).toHaveLength(2);
    expect(code).toMatch(/\{return Promise\.resolve\(\)\.then\(\(\)=>module\.require\("\.\/function-threads\.cjs"\)\.createBotRouteDelivery\(\)\)\}/);
    expect(code.match(/module\.require\("\.\/function-http\.cjs"\)/g)).toHaveLength(1);
    for (const file of [THREAD_CHUNK, HTTP_CHUNK]) {
      const chunk = requiredBy(file);
      expect(chunk.length).toBeGreaterThan(0);
      expect(chunk.filter((r) => !builtins.has(r))).toEqual([]);
    }
  });

  it('holds none of the Slack Web API / threads code: that is in function-threads.cjs', () => {
    const main = readFileSync(BUNDLE, 'utf8');
    const chunk = readFileSync(THREAD_CHUNK, 'utf8');
    for (const marker of ['conversations.history', 'chat.update', 'include_all_metadata', 'ecs_pulse_alert', 'does not hold a Slack bot token']) {
      expect(main).not.toContain(marker);
      expect(chunk).toContain(marker);
    }
    expect(chunk).toMatch(/^["']use strict["'];/);
    expect(chunk).toMatch(/exports\.createBotRouteDelivery=/);
    expect(chunk).toMatch(/exports\.checkBotRoute=/);
  });

  it('holds none of the HTTP-trigger request path (token check, request checks): that is in function-http.cjs, which holds neither the parser nor the pipeline', () => {
    const main = readFileSync(BUNDLE, 'utf8');
    const http = readFileSync(HTTP_CHUNK, 'utf8');
    for (const marker of ['Missing or wrong token', 'The HTTP-trigger event is malformed', 'method_not_allowed', 'timingSafeEqual']) {
      expect(main).not.toContain(marker);
      expect(http).toContain(marker);
    }
    expect(http).toMatch(/exports\.handleHttp=/);
    // Handed in by index.js, not bundled twice: the parser, the Slack client, the logger's redaction.
    for (const marker of ['EventParseError', 'hooks.slack.com', 'SlackWebhook', '[REDACTED]']) expect(http).not.toContain(marker);
  });

  it('is a CommonJS file without a global fetch on the cold path', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).toMatch(/^["']use strict["'];/);
    expect(code).toMatch(/exports\.handler=/);
    expect(code).toMatch(/exports\.legacyHandler=/);
    expect(code).not.toMatch(/\bfetch\(/);
  });
});

describe('Artifact: dist/function.zip', () => {
  it('holds exactly index.js, function-http.cjs and function-threads.cjs at the root, deflated, byte-identical to the dist/ files', () => {
    const entries = readZip(readFileSync(ZIP));
    expect(entries.map((e) => e.name)).toEqual(['index.js', 'function-http.cjs', 'function-threads.cjs']);
    for (const entry of entries) {
      expect(entry.method).toBe(8);
      expect(entry.mode).toBe(0o100644);
    }
    expect(entries[0]!.data.equals(readFileSync(BUNDLE))).toBe(true);
    expect(entries[1]!.data.equals(readFileSync(HTTP_CHUNK))).toBe(true);
    expect(entries[2]!.data.equals(readFileSync(THREAD_CHUNK))).toBe(true);
  });

  it('is reproducible: the writer gives the same bytes for the same input', async () => {
    const { zip, crc32 } = await import('../../scripts/zip-function.mjs');
    const code = readFileSync(BUNDLE);
    const http = readFileSync(HTTP_CHUNK);
    const threads = readFileSync(THREAD_CHUNK);
    const files = [
      { name: 'index.js', data: code },
      { name: 'function-http.cjs', data: http },
      { name: 'function-threads.cjs', data: threads },
    ];
    expect(zip(files).equals(readFileSync(ZIP))).toBe(true);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the CRC-32 check value
    expect(readZip(readFileSync(ZIP)).map((e) => e.crc)).toEqual([crc32(code), crc32(http), crc32(threads)]);
  });
});

describe('The HTTP-trigger chunk in the deployed layout (index.js + function-http.cjs), a new Node process', () => {
  const TOKEN = 'Tk8sQ2xZ0pVb7nR4mW1cE6hJ9fA3dG5u';
  /** Runs `steps` (events as JSON-able values or HTTP envelopes) through index.js in a new process; resolves with each outcome and the modules loaded after each. */
  function runDeployed(events: Buffer[], withHttpChunk: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-pulse-fn-http-'));
    temp.push(dir);
    copyFileSync(BUNDLE, join(dir, 'index.js'));
    if (withHttpChunk) copyFileSync(HTTP_CHUNK, join(dir, 'function-http.cjs'));
    events.forEach((event, i) => writeFileSync(join(dir, `event-${i}.json`), event));
    writeFileSync(
      join(dir, 'run.js'),
      [
        "const { readFileSync, writeFileSync } = require('node:fs');",
        "const { basename } = require('node:path');",
        "const m = require('./index.js');",
        'const loaded = () => Object.keys(require.cache).map((f) => basename(f));',
        "const context = { requestId: 'r-1', function: { name: 'f', handler: 'index.handler', memory: 128, timeout: 30 }, getRemainingTimeInMS: () => 20000 };",
        'const out = [{ loaded: loaded() }];',
        '(async () => {',
        `  for (let i = 0; i < ${events.length}; i++) {`,
        "    const r = await m.handler(readFileSync(`./event-${i}.json`), context).then((v) => ({ resolved: v }), (e) => ({ rejected: e.code }));",
        '    out.push({ ...r, loaded: loaded() });',
        '  }',
        "  writeFileSync('./out.json', JSON.stringify(out));",
        '})();',
      ].join('\n'),
    );
    // No Slack is needed: the event is dropped as unknown, the request refused for its token.
    const env = { PATH: process.env.PATH ?? '', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/never-called', ECS_PULSE_HTTP_TOKEN: TOKEN };
    const run = spawnSync(process.execPath, ['run.js'], { cwd: dir, env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const lines = `${run.stdout}${run.stderr}`.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    return { out: JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { resolved?: Record<string, unknown>; rejected?: string; loaded: string[] }[], lines };
  }
  const badEvent = Buffer.from(JSON.stringify({ unknown: 'payload' }));
  const wrongToken = httpEvent({ body: 'a=1', token: 'not-the-token-at-all-0000' });

  it('an event invocation does not load it; the first HTTP-trigger request does', () => {
    const { out } = runDeployed([badEvent, wrongToken], true);
    expect(out[0]!.loaded).not.toContain('function-http.cjs');
    expect(out[1]).toMatchObject({ resolved: { ok: false, dropped: 'UNKNOWN_FORMAT' } });
    expect(out[1]!.loaded).not.toContain('function-http.cjs');
    expect(out[2]!.resolved).toMatchObject({ statusCode: 401 });
    expect(JSON.parse(String(out[2]!.resolved!.body))).toMatchObject({ error: 'unauthorized' });
    expect(out[2]!.loaded).toContain('function-http.cjs');
  });

  it('without function-http.cjs (an incomplete upload) HTTP requests get 500 and the log names the fix; events still work', () => {
    const { out, lines } = runDeployed([wrongToken, badEvent], false);
    expect(out[1]!.resolved).toMatchObject({ statusCode: 500 });
    expect(JSON.parse(String(out[1]!.resolved!.body))).toEqual({ error: 'internal_error', message: 'See the function logs.' });
    expect(lines.find((l) => l.msg === 'internal-error')).toMatchObject({ errorCode: 'HTTP_CHUNK_MISSING', error: expect.stringContaining('deploy the complete dist/function.zip') });
    expect(out[2]).toMatchObject({ resolved: { ok: false, dropped: 'UNKNOWN_FORMAT' } });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
