import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ForwarderProcess, resolveForwarderBundle } from '../../src/forwarder-function.js';
import { tempDir } from '../helpers/fake-tools.js';

/** A stand-in bundle with the forwarder's two handlers, to watch what the runner hands them. */
const FAKE_BUNDLE = `
'use strict';
console.log('cold start, token set: ' + Boolean(process.env.ECS_PULSE_HTTP_TOKEN));
exports.handler = async (event, context) => {
  const body = JSON.parse(event.toString('utf8'));
  console.log('handler ' + context.requestId);
  if (body.mode === 'throw') { const e = new Error('boom'); e.name = 'DeliveryError'; e.code = 'DELIVERY_FAILED'; throw e; }
  if (body.mode === 'hang') return new Promise(() => undefined);
  if (body.mode === 'exit') process.exit(3);
  return {
    isBuffer: Buffer.isBuffer(event),
    requestId: context.requestId,
    region: context.region,
    remaining: context.getRemainingTimeInMS(),
    webhook: process.env.SLACK_WEBHOOK_URL,
    path: process.env.PATH === undefined ? 'unset' : 'set',
  };
};
exports.legacyHandler = (event, context, callback) => callback(null, { legacy: true, service: context.service.name, body: event.toString('utf8') });
`;

let running: ForwarderProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(options: { invokeTimeoutMs?: number } = {}) {
  const file = path.join(tempDir(), 'function.cjs');
  writeFileSync(file, FAKE_BUNDLE);
  const started = await ForwarderProcess.start(file, { SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/hook' }, options);
  running = started.fn;
  return started;
}

describe('Module: forwarder-function', () => {
  it('finds the bundled forwarder function of the installed package', () => {
    const bundle = resolveForwarderBundle();
    expect(path.isAbsolute(bundle)).toBe(true);
    expect(bundle).toMatch(/alicloud-fc-slack-forwarder[\\/]dist[\\/]function\.cjs$/);
    expect(existsSync(bundle)).toBe(true);
  });

  it('cold-starts with exactly the given environment and invokes the FC 3.0 handler with a Buffer and a context', async () => {
    // Act
    const { fn, logs } = await start();
    const reply = await fn.invoke('fc3-event', Buffer.from('{"mode":"ok"}'), { requestId: 'req-1', region: 'local', timeoutMs: 300_000 });
    // Assess
    expect(logs).toEqual(['cold start, token set: false']);
    expect(reply.ok).toBe(true);
    expect(reply.logs).toEqual(['handler req-1']);
    expect(reply.result).toMatchObject({ isBuffer: true, requestId: 'req-1', region: 'local', webhook: 'http://127.0.0.1:9/hook', path: 'unset' });
    expect((reply.result as { remaining: number }).remaining).toBeGreaterThan(290_000);
    const defaults = await fn.invoke('fc3-event', Buffer.from('{"mode":"ok"}'));
    expect(defaults.result).toMatchObject({ requestId: expect.stringMatching(/^1-[0-9a-f]+-demo00000002$/), region: 'cn-hangzhou' });
    expect((defaults.result as { remaining: number }).remaining).toBeLessThanOrEqual(30_000);
  });

  it('calls the FC 2.0 legacyHandler with a callback and reports handler errors with their name and code', async () => {
    const { fn } = await start();
    expect((await fn.invoke('fc2-event', Buffer.from('x'))).result).toEqual({ legacy: true, service: 'ECSMonitoringService', body: 'x' });
    const failed = await fn.invoke('fc3-event', Buffer.from('{"mode":"throw"}'));
    expect(failed).toMatchObject({ ok: false, error: { name: 'DeliveryError', code: 'DELIVERY_FAILED', message: 'boom' } });
  });

  it('fails with SUBPROCESS_FAILED when the bundle is missing, the function hangs or the process dies', async () => {
    await expect(ForwarderProcess.start(path.join(tempDir(), 'nope.cjs'), {})).rejects.toThrow(
      expect.objectContaining({ code: 'SUBPROCESS_FAILED', message: expect.stringContaining('The bundled forwarder function (@ecs-pulse/alicloud-fc-slack-forwarder/function) was not found: Cannot find module') }),
    );
    const { fn } = await start({ invokeTimeoutMs: 300 });
    await expect(fn.invoke('fc3-event', Buffer.from('{"mode":"hang"}'))).rejects.toThrow(
      expect.objectContaining({ code: 'SUBPROCESS_FAILED', message: 'The forwarder function process ended unexpectedly: no answer within 0.3 s' }),
    );
    await expect(fn.invoke('fc3-event', Buffer.from('{"mode":"exit"}'))).rejects.toThrow(
      expect.objectContaining({ code: 'SUBPROCESS_FAILED', message: expect.stringContaining('The forwarder function process ended unexpectedly: exit code 3') }),
    );
    await expect(fn.invoke('fc3-event', Buffer.from('{}'))).rejects.toThrow(expect.objectContaining({ message: expect.stringContaining('exit code 3') }));
  });
});
