import type { Writer } from '../../src/io.js';

/** A Writer that keeps everything written to it. */
export interface Capture extends Writer {
  readonly text: () => string;
}

export function capture(isTTY = false): Capture {
  let buf = '';
  return {
    isTTY,
    write(chunk: string) {
      buf += chunk;
      return true;
    },
    text: () => buf,
  };
}

/** Common options for a command under test: captured streams, a clean env. */
export function testIo(env: NodeJS.ProcessEnv, cwd: string) {
  const stdout = capture();
  const stderr = capture();
  return { stdout, stderr, env: { NO_COLOR: '1', ...env }, cwd };
}
