import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture's text (`events/<file>` or `variants/<file>`). */
export function fixtureText(path: string): string {
  return readFileSync(root + path, 'utf8');
}

/** A fixture as the FC runtime hands it over: a Buffer. */
export function fixtureBuffer(path: string): Buffer {
  return readFileSync(root + path);
}

/** A JSON fixture, parsed fresh (callers may mutate it). */
export function fixtureJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

/** Splits the doc example "Content-Type: ...\n\n<body>" into header value and body. */
export function splitRawHttp(text: string): { contentType: string; body: string } {
  const i = text.indexOf('\n\n');
  return { contentType: text.slice(0, i).replace(/^Content-Type:\s*/i, '').trim(), body: text.slice(i + 2) };
}

/** A fixed clock for payloads without time. */
export const FIXED_NOW = new Date('2025-06-01T00:00:00.000Z');
export const now = (): Date => FIXED_NOW;
