import { describe, expect, it } from 'vitest';
import { PROGRESS_LINES_PER_SECOND, PROGRESS_MAX_CHARS, resolveIo } from '../../src/io.js';
import { capture } from '../helpers/io.js';

/** A stderr that looks like a terminal of the given width. */
function terminal(columns: number | undefined) {
  const c = capture(true);
  return Object.assign(c, { columns });
}

describe('Progress', () => {
  for (const columns of [0, undefined]) {
    it(`is plain lines, without cursor movement, on a terminal whose width is ${String(columns)}`, () => {
      // Prepare
      const stderr = terminal(columns);
      const io = resolveIo({ stdout: capture(), stderr, env: { NO_COLOR: '1' } });
      // Act
      const p = io.progress('waiting for the hosts');
      p.update('2 of 3 hosts ready');
      p.succeed('3 hosts ready');
      // Assess
      expect(stderr.text()).not.toContain('\u001b[');
      expect(stderr.text()).toBe('… waiting for the hosts\n… 2 of 3 hosts ready\n✔ 3 hosts ready\n');
    });
  }

  it('writes a bounded amount however fast updates come (a burst, then a few lines a second)', () => {
    const stderr = capture(false);
    const io = resolveIo({ stdout: capture(), stderr, env: { NO_COLOR: '1' } });
    const started = Date.now();
    const p = io.progress('polling');
    for (let i = 0; i < 100_000; i++) p.update(`poll ${i} ${'x'.repeat(1000)}`);
    p.succeed();
    const seconds = Math.max(1, (Date.now() - started) / 1000);
    const lines = stderr.text().trim().split('\n');
    // start + at most a burst plus the refill over the elapsed time + the result line
    expect(lines.length).toBeLessThanOrEqual(2 + PROGRESS_LINES_PER_SECOND * (1 + Math.ceil(seconds)));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(PROGRESS_MAX_CHARS + 4);
    expect(lines.at(-1)).toMatch(/^✔ poll 99999 x+…$/);
  });

  it('keeps the first retry message of a slow wait (updates spaced in time are all shown)', () => {
    const stderr = capture(false);
    const io = resolveIo({ stdout: capture(), stderr, env: { NO_COLOR: '1' } });
    const p = io.progress('RunCommand');
    p.update('throttled (Throttling.User); retry 1 in 0.5 s');
    p.update('throttled (Throttling.User); retry 2 in 1.0 s');
    p.fail();
    expect(stderr.text()).toBe('… RunCommand\n… throttled (Throttling.User); retry 1 in 0.5 s\n… throttled (Throttling.User); retry 2 in 1.0 s\n✖ throttled (Throttling.User); retry 2 in 1.0 s\n');
  });

  it('on a terminal with a width, spins with frames no longer than a line, never writing the "clear N lines" storm', async () => {
    // Prepare: a terminal that is then resized to 0 columns mid-run
    const stderr = terminal(40);
    const io = resolveIo({ stdout: capture(), stderr, env: { NO_COLOR: '1' } });
    // Act
    const p = io.progress(`synthesizing ${'y'.repeat(500)}`);
    await new Promise((r) => setTimeout(r, 200));
    stderr.columns = 0;
    await new Promise((r) => setTimeout(r, 200));
    p.succeed('done');
    // Assess: a bounded amount in 400 ms, and each frame's text cut to the width
    expect(stderr.text().length).toBeLessThan(10_000);
    expect(stderr.text()).toContain('done');
    expect(stderr.text()).not.toContain('y'.repeat(60));
  });
});
