/** Small validation helpers shared by the configuration loader and the HTTP-trigger request reader. */

/** True for a plain object (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for a string or an array of strings. */
export const isStringOrStrings = (value: unknown): boolean => typeof value === 'string' || (Array.isArray(value) && value.every((x) => typeof x === 'string'));

/** Adds the issue `path: problem`. */
export function addIssue(issues: string[], path: string, problem: string): void {
  issues.push(`${path}: ${problem}`);
}

/** Reports `path` (`must be a string`, `must be true or false`) when `value` is set but not of `type`. */
export function checkType(value: unknown, path: string, type: 'string' | 'boolean', issues: string[]): void {
  if (value !== undefined && typeof value !== type) addIssue(issues, path, type === 'string' ? 'must be a string' : 'must be true or false');
}
