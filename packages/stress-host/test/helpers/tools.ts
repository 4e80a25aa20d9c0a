import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (also free for UDP in practice on loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running one-off iperf3 server (`iperf3 -s -1`) on 127.0.0.1. */
export interface Iperf3Server {
  readonly port: number;
  readonly process: ChildProcess;
  stop(): void;
}

/** Start `iperf3 -s -1 -B 127.0.0.1 -p <free port>` and wait until it listens. */
export async function startIperf3Server(): Promise<Iperf3Server> {
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn('iperf3', ['-s', '-1', '-B', '127.0.0.1', '-p', String(port), '--forceflush'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      const timer = setTimeout(() => resolve(false), 5000);
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        if (out.includes('Server listening')) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (c: Buffer) => {
        lastError += c.toString();
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ready) {
      return {
        port,
        process: child,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
        },
      };
    }
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  throw new Error(`iperf3 server did not start: ${lastError}`);
}

/** The result of running a command to completion. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command and collect its output and exit code (never rejects on a non-zero exit). */
export function run(bin: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
