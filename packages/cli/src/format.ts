/** Small text-table and unit helpers for terminal output. @internal */

/** Render rows as an aligned text table (first row is the header). */
export function table(rows: ReadonlyArray<readonly string[]>, bold: (s: string) => string = (s) => s): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell).length)));
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - visible(cell).length);
          const text = r === 0 ? bold(cell) : cell;
          return i === row.length - 1 ? text : text + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/** bits per second → `941.2 Mbit/s`. */
export function bps(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

/** A number with fixed digits, or `-`. */
export function fixed(value: number | undefined, digits = 1, suffix = ''): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${value.toFixed(digits)}${suffix}`;
}

/** A metric value in its unit. */
export function metricValue(value: number | undefined, unit: string): string {
  if (unit === 'bit/s') return bps(value);
  return fixed(value, 1, unit === '%' ? ' %' : unit ? ` ${unit}` : '');
}

/** Parse `30m`, `1h`, `2d`, `90s`, or an ISO time, relative to `now`; returns the start Date. */
export function parseSince(text: string, now: Date): Date | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(text.trim());
  if (m) {
    const n = Number(m[1]);
    const unit = (m[2] ?? 's').toLowerCase();
    const ms = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[unit as 's'] * n;
    return new Date(now.getTime() - ms);
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Parse `60`, `60s`, `5m`, `1h` as seconds. */
export function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)\s*(s|m|h)?$/i.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const mult = { s: 1, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's'];
  return n > 0 ? n * mult : undefined;
}
