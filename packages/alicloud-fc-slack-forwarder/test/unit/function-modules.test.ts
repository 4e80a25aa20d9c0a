import { ForwarderConfigError } from '../../src/errors.js';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ForwarderConfig } from '../../src/function/config.js';
import { LruSet, deliveryKey } from '../../src/function/dedupe.js';
import { sendBudgetMs } from '../../src/function/forward.js';
import { isHttpTriggerEvent, normalizeHeaders, normalizeQuery } from '../../src/function/http.js';
import { RAW_LOG_LIMIT, rawForLog, redact } from '../../src/function/log.js';
import { globMatch, matches, passesFilters, selectRoutes } from '../../src/function/match.js';
import { presentedToken, tokenMatches } from '../../src/function/token.js';
import type { RoutableAlert } from '../../src/function/types.js';

const HOOK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX';
const alert = (over: Partial<RoutableAlert> = {}): RoutableAlert => ({
  id: 'a-1',
  kind: 'system-event',
  source: 'eventbridge',
  product: 'ECS',
  name: 'Instance:StateChange',
  status: 'Stopped',
  severity: 'warning',
  resourceId: 'i-bp1example',
  region: 'cn-hangzhou',
  details: { 'tags.env': 'prod', level: 'INFO' },
  ...over,
});

function okConfig(env: Record<string, string>): ForwarderConfig {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(`expected a valid config, got: ${result.issues.join('; ')}`);
  return result.config;
}

describe('Method: loadConfig', () => {
  it('reads SLACK_WEBHOOK_URL as the default route with the documented defaults', () => {
    const config = okConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_HTTP_TOKEN: 't'.repeat(32) });
    expect(config).toMatchObject({
      defaultRoute: { name: 'default', webhookUrl: HOOK },
      routes: [],
      routing: 'first-match',
      dedupeCapacity: 1000,
      maxAttempts: 3,
      timeoutMs: 5000,
      safetyMarginMs: 1500,
      httpToken: 't'.repeat(32),
    });
    expect(config.secrets).toEqual([HOOK, 't'.repeat(32)]);
  });

  it('keeps ActionTrail events only when actionTrail is true (default false), and checks its type', () => {
    expect(okConfig({ SLACK_WEBHOOK_URL: HOOK }).actionTrail).toBe(false);
    expect(okConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_CONFIG: '{"actionTrail":true}' }).actionTrail).toBe(true);
    const bad = loadConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_CONFIG: '{"actionTrail":"yes"}' });
    expect(bad.ok ? [] : bad.issues).toEqual(['ECS_PULSE_CONFIG.actionTrail: must be true or false']);
  });

  it('reports every problem as path: message, without echoing secrets', () => {
    const result = loadConfig({
      SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/T/B/secretvalue',
      ECS_PULSE_CONFIG: JSON.stringify({
        routing: 'some',
        bogus: 1,
        dedupeCapacity: 0,
        filters: { include: [{ severities: ['fatal'], colour: ['red'] }], other: [] },
        routes: [{ name: 'default', webhookUrlEnv: 'NOPE' }, { name: 'x', webhookUrl: 'ftp://example.com/a', webhookUrlEnv: 'Y' }, { webhookUrl: HOOK }],
        slack: { maxAttempts: 99, retries: 1 },
        message: { colorBar: 'yes', mentions: { fatal: 'x' }, titlePrefix: 3 },
      }),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      'SLACK_WEBHOOK_URL: must be an https: URL (got http://…); http: is allowed for loopback test sinks only',
      'ECS_PULSE_CONFIG.bogus: unknown key; allowed: filters, routes, routing, dedupeCapacity, slack, safetyMarginMs, message, actionTrail',
      'ECS_PULSE_CONFIG.message.mentions.fatal: not a severity (use critical, warning, info, ok)',
      'ECS_PULSE_CONFIG.message.titlePrefix: must be a string',
      'ECS_PULSE_CONFIG.message.colorBar: must be a boolean',
      'ECS_PULSE_CONFIG.filters.other: unknown key; allowed: include, exclude',
      'ECS_PULSE_CONFIG.filters.include[0].severities[0]: must be one of critical, warning, info, ok (got "fatal")',
      'ECS_PULSE_CONFIG.filters.include[0].colour: unknown key; allowed: products, names, severities, statuses, kinds, sources, resourceIds, regions, details',
      'ECS_PULSE_CONFIG.routes[0].name: "default" is reserved for SLACK_WEBHOOK_URL; pick another name',
      'ECS_PULSE_CONFIG.routes[0].webhookUrlEnv: environment variable NOPE is not set',
      'ECS_PULSE_CONFIG.routes[1]: give webhookUrl or webhookUrlEnv, not both',
      'ECS_PULSE_CONFIG.routes[2].name: must be 1-64 characters of A-Z a-z 0-9 _ -',
      'ECS_PULSE_CONFIG.routing: must be "first-match" or "all-matches"',
      'ECS_PULSE_CONFIG.dedupeCapacity: must be an integer from 1 to 100000',
      'ECS_PULSE_CONFIG.slack.retries: unknown key; allowed: maxAttempts, timeoutMs',
      'ECS_PULSE_CONFIG.slack.maxAttempts: must be an integer from 1 to 10',
    ]);
    expect(result.issues.join('\n')).not.toContain('secretvalue');
    expect(result.secrets).toContain(HOOK);
  });

  it('reports a JSON syntax error by position only (the text may hold a webhook URL)', () => {
    const result = loadConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_CONFIG: `{"routes":[{"webhookUrl":"${HOOK}"` });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatch(/^ECS_PULSE_CONFIG: is not valid JSON/);
    expect(result.issues[0]).not.toContain('hooks.slack.com');
  });

  it('rejects a non-object config and webhook URLs without a path or with credentials', () => {
    const notObject = loadConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_CONFIG: '[1,2]' });
    expect(notObject.ok ? [] : notObject.issues).toEqual(['ECS_PULSE_CONFIG: must be a JSON object like {"routes":[...]}']);
    const noPath = loadConfig({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/' });
    expect(noPath.ok ? [] : noPath.issues).toEqual(['SLACK_WEBHOOK_URL: has no path (the secret /services/... part is missing)']);
    const creds = loadConfig({ SLACK_WEBHOOK_URL: 'https://user:pw@hooks.slack.com/services/x' });
    expect(creds.ok ? [] : creds.issues).toEqual(['SLACK_WEBHOOK_URL: must not contain user credentials']);
  });

  it('resolves route webhooks from the environment and merges message options', () => {
    const config = okConfig({
      SLACK_WEBHOOK_URL: HOOK,
      ONCALL: 'https://hooks.slack.com/services/T1/B1/oncall',
      ECS_PULSE_CONFIG: JSON.stringify({
        message: { environment: 'prod', titlePrefix: '[p]' },
        routes: [{ name: 'oncall', webhookUrlEnv: 'ONCALL', match: { severities: ['critical'] }, message: { titlePrefix: '[oncall]' } }],
        routing: 'all-matches',
      }),
    });
    expect(config.routes).toEqual([
      { name: 'oncall', webhookUrl: 'https://hooks.slack.com/services/T1/B1/oncall', match: { severities: ['critical'] }, message: { environment: 'prod', titlePrefix: '[oncall]' } },
    ]);
    expect(config.defaultRoute!.message).toEqual({ environment: 'prod', titlePrefix: '[p]' });
    expect(config.secrets).toContain('https://hooks.slack.com/services/T1/B1/oncall');
  });

  it('treats a missing or short HTTP token as an HTTP-only problem (a warning)', () => {
    const missing = loadConfig({ SLACK_WEBHOOK_URL: HOOK });
    expect(missing).toMatchObject({ ok: true, warnings: ['ECS_PULSE_HTTP_TOKEN: is not set; HTTP-trigger requests are refused with 500 until it is'] });
    const short = okConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_HTTP_TOKEN: 'abc' });
    expect(short.httpToken).toBeUndefined();
    expect(short.httpTokenProblem).toContain('shorter than 16 characters');
  });
});

describe('Method: matches / passesFilters / selectRoutes', () => {
  it('globs case-insensitively with * and nothing else special', () => {
    expect(globMatch('Instance:*', 'instance:StateChange')).toBe(true);
    expect(globMatch('i-bp1*', 'i-bp2x')).toBe(false);
    expect(globMatch('a.c', 'abc')).toBe(false);
    expect(globMatch('a(b)*', 'a(b)c')).toBe(true);
  });

  it('ANDs fields and ORs values, including details (resource tags when present)', () => {
    expect(matches({ products: ['rds', 'ecs'], severities: ['warning'] }, alert())).toBe(true);
    expect(matches({ products: ['ecs'], severities: ['critical'] }, alert())).toBe(false);
    expect(matches({ details: { 'tags.env': ['staging', 'prod'] } }, alert())).toBe(true);
    expect(matches({ details: { 'tags.team': 'ops' } }, alert())).toBe(false);
    expect(matches({ regions: ['cn-*'] }, alert({ region: undefined }))).toBe(false);
  });

  it('filters: include any, exclude none', () => {
    const config = { include: [{ products: ['ECS'] }, { kinds: ['metric-alarm'] }], exclude: [{ statuses: ['Running'] }] };
    expect(passesFilters(config, alert())).toBe(true);
    expect(passesFilters(config, alert({ status: 'Running' }))).toBe(false);
    expect(passesFilters(config, alert({ product: 'RDS' }))).toBe(false);
    expect(passesFilters(config, alert({ product: 'RDS', kind: 'metric-alarm' }))).toBe(true);
    expect(passesFilters({ include: [], exclude: [] }, alert())).toBe(true);
  });

  it('routes first-match, all-matches and falls back to the default route', () => {
    const def = { name: 'default', webhookUrl: HOOK, message: {} };
    const a = { name: 'a', webhookUrl: HOOK, match: { severities: ['warning' as const] }, message: {} };
    const b = { name: 'b', webhookUrl: HOOK, match: { products: ['ECS'] }, message: {} };
    expect(selectRoutes({ routes: [a, b], defaultRoute: def, routing: 'first-match' }, alert()).map((r) => r.name)).toEqual(['a']);
    expect(selectRoutes({ routes: [a, b], defaultRoute: def, routing: 'all-matches' }, alert()).map((r) => r.name)).toEqual(['a', 'b']);
    expect(selectRoutes({ routes: [a], defaultRoute: def, routing: 'first-match' }, alert({ severity: 'info' })).map((r) => r.name)).toEqual(['default']);
    expect(selectRoutes({ routes: [a], routing: 'first-match' }, alert({ severity: 'info' }))).toEqual([]);
  });
});

describe('Class: LruSet', () => {
  it('evicts the least recently used key and refreshes on has()', () => {
    const set = new LruSet(2);
    set.add('a');
    set.add('b');
    expect(set.has('a')).toBe(true);
    set.add('c');
    expect(set.has('b')).toBe(false);
    expect(set.has('a')).toBe(true);
    expect(set.has('c')).toBe(true);
    expect(set.size).toBe(2);
  });

  it('rejects a capacity below 1 and keys deliveries per route', () => {
    expect(() => new LruSet(0)).toThrow(expect.objectContaining({ name: 'RangeError', message: 'LruSet capacity must be a positive integer (got 0)' }));
    expect(deliveryKey('r1', 'id', 'Executing')).not.toBe(deliveryKey('r2', 'id', 'Executing'));
    expect(deliveryKey('r1', 'id', 'Executing')).not.toBe(deliveryKey('r1', 'id', 'Avoided'));
  });
});

describe('Method: tokenMatches / presentedToken', () => {
  it('compares in constant time via digests of any length', () => {
    expect(tokenMatches('secret-token-value-1', 'secret-token-value-1')).toBe(true);
    expect(tokenMatches('secret-token-value-2', 'secret-token-value-1')).toBe(false);
    expect(tokenMatches('s', 'secret-token-value-1')).toBe(false);
    expect(tokenMatches(undefined, 'secret-token-value-1')).toBe(false);
    expect(tokenMatches('', 'secret-token-value-1')).toBe(false);
  });

  it('prefers the header, then the query, and takes the first of comma-joined values', () => {
    expect(presentedToken({ 'x-ecs-pulse-token': 'h' }, { token: 'q' })).toBe('h');
    expect(presentedToken({}, { token: 'q1,q2' })).toBe('q1');
    expect(presentedToken({}, {})).toBeUndefined();
    expect(presentedToken({}, { token: ' ' })).toBeUndefined();
  });

  it('does not let an empty or whitespace header shadow the query token', () => {
    for (const header of ['', ' ', '\t', ' , x', ',']) expect(presentedToken({ 'x-ecs-pulse-token': header }, { token: 'q' }), JSON.stringify(header)).toBe('q');
    expect(presentedToken({ 'x-ecs-pulse-token': ' h ' }, { token: 'q' })).toBe('h');
  });
});

describe('Method: loadConfig — ECS_PULSE_HTTP_TOKEN with surrounding whitespace', () => {
  it.each([`${'t'.repeat(32)}\n`, ` ${'t'.repeat(32)}`, `${'t'.repeat(32)}\r\n`, '\t'])('refuses %j with a warning naming the variable', (token) => {
    const result = loadConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_HTTP_TOKEN: token });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.httpToken).toBeUndefined();
    expect(result.config.httpTokenProblem).toMatch(/^ECS_PULSE_HTTP_TOKEN: has leading or trailing whitespace/);
    expect(result.warnings).toContain(result.config.httpTokenProblem);
    expect(result.warnings.join(' ')).not.toContain('t'.repeat(16));
    // Both forms are redacted from logs.
    expect(result.config.secrets).toEqual(expect.arrayContaining([token]));
  });
});

describe('Method: loadConfig — a webhook URL pasted into webhookUrlEnv', () => {
  it('reports the issue without the URL (or its path) and marks it a secret for the logs', () => {
    const result = loadConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_CONFIG: JSON.stringify({ routes: [{ name: 'oncall', webhookUrlEnv: `${HOOK}Z` }] }) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      'ECS_PULSE_CONFIG.routes[0].webhookUrlEnv: is not an environment variable name (letters, digits, _); it looks like a URL: put the webhook URL in an environment variable and name that variable here',
    ]);
    expect(result.secrets).toContain(`${HOOK}Z`);
    const error = new ForwarderConfigError(result.issues);
    for (const text of [result.issues.join(' '), error.message, JSON.stringify(error)]) {
      expect(text).not.toContain('XXXXXXXX');
      expect(text).not.toContain('T0000/B0000');
    }
  });
});

describe('Method: loadConfig — secrets elsewhere in the configuration', () => {
  it('redacts a Slack webhook URL quoted by any issue (a key, a severity)', () => {
    const result = loadConfig({ SLACK_WEBHOOK_URL: HOOK, ECS_PULSE_CONFIG: JSON.stringify({ [HOOK]: 1, filters: { include: [{ severities: [HOOK] }] } }) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(2);
    expect(result.issues.join(' ')).toContain('[REDACTED]');
    expect(result.issues.join(' ')).not.toContain('XXXXXXXX');
  });
});

describe('Method: redact / rawForLog', () => {
  it('removes JSON-escaped copies of a configured webhook URL and of its path (\\/, \\\\/, \\u002f)', () => {
    const local = 'http://127.0.0.1:4567/services/T1/B2/Sk3cr3tPathValue';
    const path = new URL(local).pathname;
    for (const slash of ['\\/', '\\\\/', '\\u002f', '\\u002F']) {
      for (const form of [local, path, path.slice(1)]) {
        const escaped = form.replace(/\//g, slash);
        expect(redact(`{"hook":"${escaped}"}`, [local]), escaped).toBe('{"hook":"[REDACTED]"}');
      }
    }
  });

  it('removes Slack-looking webhook URLs that are JSON-escaped or URL-encoded once or twice, without being configured', () => {
    const forms = [HOOK.replace(/\//g, '\\/'), HOOK.replace(/\//g, '\\\\/'), encodeURIComponent(HOOK), encodeURIComponent(encodeURIComponent(HOOK))];
    for (const form of forms) expect(redact(`x ${form} y`, []), form).toBe('x [REDACTED] y');
  });

  it('removes a configured token URL-encoded twice (and the value of a double-encoded token= parameter)', () => {
    const token = 'Qw3r+Ty/7uIo9=pAs1dFg5hJk2lZx4c';
    for (const form of [encodeURIComponent(token), encodeURIComponent(encodeURIComponent(token)), encodeURIComponent(encodeURIComponent(encodeURIComponent(token)))]) {
      expect(redact(`callback ${form} end`, [token]), form).toBe('callback [REDACTED] end');
    }
    const url = `https://x.example/cb?token=${encodeURIComponent('unconfigured+value')}`;
    const twice = encodeURIComponent(encodeURIComponent(url));
    expect(redact(`u=${twice}`, [])).not.toContain('unconfigured');
  });

  it('removes configured secrets, Slack webhook URLs and token values in every encoding seen', () => {
    const text = [
      `posting to ${HOOK} failed`,
      'url?token=abc123&x=1',
      '{"token":"abc123"}',
      'token%3Dabc123',
      '"x-ecs-pulse-token":"abc123"',
      'my-own-secret',
    ].join(' | ');
    const out = redact(text, ['my-own-secret']);
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('XXXXXXXXXXXXXXXX');
    expect(out).not.toContain('my-own-secret');
    expect(out).toContain('token=[REDACTED]&x=1');
  });

  it('removes the URL-encoded and base64 forms of every secret and of the webhook path alone', () => {
    const token = 'Zx9Tq4Lm2Wv7Np1Rb8Kc3Hd6';
    const path = new URL(HOOK).pathname;
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const b64url = (s: string): string => Buffer.from(s).toString('base64url');
    const forms = [
      encodeURIComponent(HOOK),
      encodeURIComponent(HOOK).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      new URLSearchParams({ u: HOOK }).toString().slice(2),
      b64(HOOK),
      b64url(HOOK),
      path,
      path.slice(1),
      encodeURIComponent(path),
      b64(path),
      b64(path.slice(1)),
      encodeURIComponent(token),
      b64(token),
      b64url(token),
    ];
    for (const form of forms) {
      const out = redact(`before ${form} after`, [HOOK, token]);
      expect(out, form).toBe('before [REDACTED] after');
    }
  });

  it('removes a base64 secret embedded at any offset of a larger base64 blob', () => {
    const token = 'Zx9Tq4Lm2Wv7Np1Rb8Kc3Hd6';
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      const blob = Buffer.from(`${prefix}token=${token}&x=1`).toString('base64');
      const out = redact(blob, [token]);
      expect(out, prefix).toContain('[REDACTED]');
      // What is left decodes to no more than a few bits of the token.
      for (const piece of out.split('[REDACTED]')) expect(Buffer.from(piece, 'base64').toString('latin1')).not.toContain(token.slice(0, 4));
    }
  });

  it('leaves text alone that merely shares a short piece with a secret', () => {
    expect(redact('the word services and T0000 appear', [HOOK])).toBe('the word services and T0000 appear');
  });

  it('caps the raw input and reports its full size', () => {
    const view = rawForLog(Buffer.from('y'.repeat(RAW_LOG_LIMIT + 10)), []);
    expect(view).toEqual({ rawBytes: RAW_LOG_LIMIT + 10, raw: 'y'.repeat(RAW_LOG_LIMIT), rawTruncated: true });
  });
});

describe('Method: HTTP helpers and the send budget', () => {
  it('recognises the FC 3.0 HTTP envelope and nothing else', () => {
    expect(isHttpTriggerEvent({ version: 'v1', rawPath: '/', requestContext: { http: { method: 'POST' } } })).toBe(true);
    expect(isHttpTriggerEvent({ id: 'x', source: 'acs.ecs', data: {} })).toBe(false);
    expect(isHttpTriggerEvent([{ requestContext: { http: {} } }])).toBe(false);
    expect(isHttpTriggerEvent(null)).toBe(false);
  });

  it('lower-cases header names and joins array values', () => {
    expect(normalizeHeaders({ 'Content-Type': 'a', X: ['1', '2'], n: 3 })).toEqual({ 'content-type': 'a', x: '1,2' });
    expect(normalizeQuery({ token: 'a', list: ['b', 'c'], bad: {} })).toEqual({ token: 'a', list: 'b,c' });
  });

  it('uses getRemainingTimeInMS, else the function timeout, else a default, minus the margin', () => {
    expect(sendBudgetMs({ requestId: 'r', getRemainingTimeInMS: () => 5000 }, 0, 1500)).toBe(3500);
    expect(sendBudgetMs({ requestId: 'r', function: { timeout: 10 } }, 1000, 1500, 3000)).toBe(6500);
    expect(sendBudgetMs({ requestId: 'r' }, 0, 1500)).toBe(8500);
    expect(sendBudgetMs({ requestId: 'r', getRemainingTimeInMS: () => 100 }, 0, 1500)).toBe(0);
    expect(
      sendBudgetMs(
        {
          requestId: 'r',
          getRemainingTimeInMS: () => {
            throw new Error('not available');
          },
          function: { timeout: 3 },
        },
        0,
        1000,
        0,
      ),
    ).toBe(2000);
  });
});
