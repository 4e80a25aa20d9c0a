import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_AK } from './openapi-double.js';

/** Environment for a cloud command against the double. */
export function cloudEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NO_COLOR: '1',
    PATH: process.env.PATH,
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_AK.id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_AK.secret,
    ECS_PULSE_ENDPOINT_ECS: url,
    ECS_PULSE_ENDPOINT_CMS: url,
    ECS_PULSE_ENDPOINT_FC: url,
    ECS_PULSE_POLL_MS: '20',
    ECS_PULSE_RETRY_BASE_MS: '5',
    ...extra,
  };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Start a real iperf3 server on loopback; resolves once it listens (checked with ss, no probe connection). */
export async function startIperf3Server(port: number): Promise<ChildProcess> {
  const child = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const listening = execFileSync('ss', ['-ltn'], { encoding: 'utf8' }).includes(`127.0.0.1:${port} `);
    if (listening) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('iperf3 server did not start');
}
