import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The text of a fixture under test/fixtures. */
export function fixtureText(relativePath: string): string {
  return readFileSync(`${fixturesDir}${relativePath}`, 'utf8');
}

/** A fresh parsed copy of a JSON fixture under test/fixtures. */
export function fixtureJson<T = Record<string, any>>(relativePath: string): T {
  return JSON.parse(fixtureText(relativePath)) as T;
}
