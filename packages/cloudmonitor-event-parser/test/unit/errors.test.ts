import { describe, expect, it } from 'vitest';
import {
  detectFamily,
  EVENT_PARSE_ERROR_CODES,
  EventParseError,
  parse,
  safeParse,
  unwrapHttpTriggerEvent,
  type EventParseErrorCode,
} from '../../src/index.js';
import { fixtureJson, fixtureText } from '../helpers.js';

function failure(input: unknown, options?: Parameters<typeof parse>[1]): EventParseError {
  const result = safeParse(input as string, options);
  if (result.success) throw new Error('expected a failure');
  return result.error;
}

function expectCode(input: unknown, code: EventParseErrorCode, message: RegExp, options?: Parameters<typeof parse>[1]): EventParseError {
  expect(() => parse(input as string, options)).toThrow(expect.objectContaining({ name: 'EventParseError', code, message: expect.stringMatching(message) }));
  const error = failure(input, options);
  expect(error.code).toBe(code);
  return error;
}

const SECRET = 'FAKE-SHARED-SECRET';

describe('Class: EventParseError', () => {
  it('has name, code, details, package, cause and a cross-realm brand', () => {
    const cause = new Error('inner');
    const error = new EventParseError('MISSING_FIELD', 'The event has no "name".', { path: 'name' }, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'EventParseError', code: 'MISSING_FIELD', details: { path: 'name' }, cause });
    expect(error.package).toBe('@ecs-pulse/cloudmonitor-event-parser');
    expect(EventParseError.isEventParseError(error)).toBe(true);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@ecs-pulse/cloudmonitor-event-parser.EventParseError')]: true });
    expect(EventParseError.isEventParseError(foreign)).toBe(true);
    expect(EventParseError.isEventParseError(new Error('x'))).toBe(false);
    expect(EventParseError.isEventParseError({ code: 'MISSING_FIELD' })).toBe(false);
    expect(EventParseError.isEventParseError(null)).toBe(false);
    expect(Object.isFrozen(error.details)).toBe(true);
  });

  it('lists every code once', () => {
    expect(new Set(EVENT_PARSE_ERROR_CODES).size).toBe(EVENT_PARSE_ERROR_CODES.length);
    expect(EVENT_PARSE_ERROR_CODES).toContain('INTERNAL_ERROR');
  });
});

describe('Method: parse — error paths (each code, its message)', () => {
  it('EMPTY_INPUT for "", whitespace, BOM only, null, undefined, empty bytes', () => {
    expectCode('', 'EMPTY_INPUT', /^The input is empty\. Pass the event payload/);
    expectCode(' \n\t', 'EMPTY_INPUT', /The input is empty/);
    expectCode('\uFEFF', 'EMPTY_INPUT', /The input is empty/);
    expectCode(new Uint8Array(0), 'EMPTY_INPUT', /The input is empty/);
    expectCode(null, 'EMPTY_INPUT', /^The input is null\./);
    expectCode(undefined, 'EMPTY_INPUT', /^The input is undefined\./);
  });

  it('EMPTY_INPUT for an HTTP-trigger envelope with no body', () => {
    const env = fixtureJson('events/fc3-http-trigger-event.doc-example.json');
    env.body = '';
    expectCode(env, 'EMPTY_INPUT', /^The HTTP-trigger body is empty/);
  });

  it('INPUT_TOO_LARGE before parsing, for strings, bytes and decoded base64', () => {
    const error = expectCode('{"a":"' + 'x'.repeat(200) + '"}', 'INPUT_TOO_LARGE', /^The input is 208 bytes, more than maxInputBytes \(100\)/, {
      maxInputBytes: 100,
    });
    expect(error.details.inputSize).toBe(208);
    expectCode(new Uint8Array(101), 'INPUT_TOO_LARGE', /101 bytes/, { maxInputBytes: 100 });
    // 40 characters of 3-byte UTF-8 = 120 bytes.
    expectCode('"' + '网'.repeat(40) + '"', 'INPUT_TOO_LARGE', /122 bytes/, { maxInputBytes: 100 });
    const env = fixtureJson('events/fc3-http-trigger-event.doc-example.json');
    env.isBase64Encoded = true;
    env.body = Buffer.from('x'.repeat(300)).toString('base64');
    expectCode(env, 'INPUT_TOO_LARGE', /decoded HTTP-trigger body is 300 bytes/, { maxInputBytes: 200 });
  });

  it('INVALID_INPUT_TYPE for numbers, booleans, functions', () => {
    expectCode(42, 'INVALID_INPUT_TYPE', /^The input is a number; pass a string, a Buffer\/Uint8Array, or an already parsed object\./);
    expectCode(true, 'INVALID_INPUT_TYPE', /is a boolean/);
    expectCode(() => 1, 'INVALID_INPUT_TYPE', /is a function/);
  });

  it('INVALID_JSON with line/column, and without echoing the input (it may hold the query token)', () => {
    const text = `{"queryParameters": {"token": "${SECRET}"},\n "body": tru}`;
    const error = expectCode(text, 'INVALID_JSON', /^The input is not valid JSON at line 2, column \d+ \(position \d+\)\./);
    expect(error.message).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error.details)).not.toContain(SECRET);
    expect(error.details.position).toBeGreaterThan(40);
    expectCode('{"truncated": "ev', 'INVALID_JSON', /not valid JSON/);
  });

  it('INVALID_JSON when a JSON content type carries a form body', () => {
    expectCode('alertName=x&alertState=OK', 'INVALID_JSON', /not valid JSON/, { contentType: 'application/json' });
  });

  it('INVALID_FORM when a form content type carries no key=value pairs', () => {
    expectCode('just some text', 'INVALID_FORM', /^The input is not form-urlencoded: no "key=value" pairs found\./, {
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('INVALID_BASE64 for a flagged body that is not base64', () => {
    const env = fixtureJson('events/fc3-http-trigger-event.doc-example.json');
    env.isBase64Encoded = true;
    env.body = 'not base64!';
    const error = expectCode(env, 'INVALID_BASE64', /^The HTTP-trigger body is flagged isBase64Encoded but is not valid base64/);
    expect(error.details).toMatchObject({ family: 'http-trigger', path: 'body' });
    env.body = 'QQ=A';
    expectCode(env, 'INVALID_BASE64', /not valid base64/);
    env.body = 'A';
    expectCode(env, 'INVALID_BASE64', /not valid base64/);
  });

  it('UNSUPPORTED_CONTENT_TYPE for other media types and non-UTF-8 charsets', () => {
    expectCode('<xml/>', 'UNSUPPORTED_CONTENT_TYPE', /^Unsupported content type "application\/xml" in options\.contentType/, {
      contentType: 'application/xml',
    });
    expectCode('a=b', 'UNSUPPORTED_CONTENT_TYPE', /^Unsupported charset "gbk" in options\.contentType: the parser reads UTF-8 only/, {
      contentType: 'application/x-www-form-urlencoded; charset=GBK',
    });
    const env = fixtureJson('events/fc3-http-trigger-event-wrapping-cms-metric-callback.CONSTRUCTED.json');
    env.headers = { 'content-type': 'multipart/form-data; boundary=x' };
    expectCode(env, 'UNSUPPORTED_CONTENT_TYPE', /in the HTTP Content-Type header/);
  });

  it('UNKNOWN_FORMAT naming the keys found (not the values)', () => {
    const error = expectCode(
      { token: SECRET, foo: 1 },
      'UNKNOWN_FORMAT',
      /^The input is not a payload the parser knows \(its top-level keys are token, foo\)\. Expected a CloudMonitor system event/,
    );
    expect(error.message).not.toContain(SECRET);
    expectCode({}, 'UNKNOWN_FORMAT', /it is an empty object/);
    expectCode('42', 'UNKNOWN_FORMAT', /^The input is a JSON number; expected an event object or an array of events\./, {
      contentType: 'application/json',
    });
    expectCode('"\\"x\\""', 'UNKNOWN_FORMAT', /^The JSON string in the input is a JSON string; expected an event object/);
    expectCode('hello', 'UNKNOWN_FORMAT', /^The input is neither JSON nor a form-urlencoded body/);
    expectCode([[{}]], 'UNKNOWN_FORMAT', /^Event \[0\] of the batch: A batch must hold event objects, but this element is array/);
    expectCode('a=1&b=2', 'UNKNOWN_FORMAT', /top-level keys are a, b/);
  });

  it('UNKNOWN_FORMAT for an envelope nested in a batch', () => {
    const env = fixtureJson('events/fc3-http-trigger-event-wrapping-cms-metric-callback.CONSTRUCTED.json');
    expectCode([env], 'UNKNOWN_FORMAT', /envelope nested inside another payload/);
  });

  it('MISSING_FIELD with family and path', () => {
    const event = fixtureJson('events/cms-event-ecs-instance-statechange-running.json');
    delete event.name;
    const error = expectCode(event, 'MISSING_FIELD', /^The CloudMonitor system event has no "name"\. Expected e\.g\. "Instance:StateChange"\./);
    expect(error.details).toMatchObject({ family: 'cloudmonitor-event', path: 'name' });
    expectCode({ name: 'X:Y', level: 'INFO', content: {} }, 'MISSING_FIELD', /has no "product" and no resource ARN/);
    expectCode('alertName=x&metricProject=acs_ecs&curValue=1', 'MISSING_FIELD', /has no "alertState"/);
    expectCode('alertState=OK&curValue=1&expression=x', 'MISSING_FIELD', /neither "metricName" nor "alertName"/);
    expectCode({ specversion: '1.0', id: '1', source: 'acs.ecs', data: {} }, 'MISSING_FIELD', /CloudEvent has no "type"/);
    expectCode({ specversion: '1.0', type: 'NoPrefix', data: {} }, 'MISSING_FIELD', /no "source" and its "type" has no product prefix/);
    expectCode({ Product: 'ECS', Level: 'INFO', Content: '{}' }, 'MISSING_FIELD', /DescribeSystemEventAttribute event has no "Name"/);
  });

  it('INVALID_FIELD for a wrong type', () => {
    const event = fixtureJson('events/cms-event-ecs-instance-statechange-running.json');
    event.name = 42;
    const error = expectCode(event, 'INVALID_FIELD', /^The CloudMonitor system event has "name" of type number; expected a string\./);
    expect(error.details.path).toBe('name');
    const env = fixtureJson('events/fc3-http-trigger-event.doc-example.json');
    env.body = { a: 1 };
    expectCode(env, 'INVALID_FIELD', /"body" of type object; FC passes the body as a string/);
  });

  it('INVALID_OPTIONS for unknown keys and wrong types', () => {
    expectCode('{}', 'INVALID_OPTIONS', /^Unknown option "options\.contentTyp"\. Allowed: contentType, maxInputBytes, now\./, { contentTyp: 'x' } as never);
    expectCode('{}', 'INVALID_OPTIONS', /options\.contentType must be a string/, { contentType: 1 } as never);
    expectCode('{}', 'INVALID_OPTIONS', /maxInputBytes must be a positive integer/, { maxInputBytes: -1 });
    expectCode('{}', 'INVALID_OPTIONS', /options\.now must be a function/, { now: 5 } as never);
  });

  it('INTERNAL_ERROR wraps a throwing getter, keeping it as cause', () => {
    const hostile = {
      product: 'ECS',
      get name(): string {
        throw new TypeError('boom');
      },
      content: {},
    };
    const error = expectCode(hostile, 'INTERNAL_ERROR', /^Unexpected TypeError while parsing the input/);
    expect((error.cause as Error).message).toBe('boom');
  });

  it('an invalid clock falls back to the real time instead of failing', () => {
    const [alert] = parse({ product: 'ECS', name: 'X:Y', content: {} }, { now: () => new Date(Number.NaN) });
    expect(Number.isNaN(Date.parse(alert!.time))).toBe(false);
  });
});

describe('Method: safeParse', () => {
  it('returns success with data', () => {
    const result = safeParse(fixtureText('events/cms-event-ecs-instance-statechange-running.json'));
    expect(result).toMatchObject({ success: true, data: [expect.objectContaining({ status: 'Running' })] });
  });

  it('returns the error instead of throwing, for every kind of bad input', () => {
    for (const bad of ['', '{', 42, null, { a: 1 }, [1], 'x=y']) {
      const result = safeParse(bad as string);
      expect(result.success).toBe(false);
      if (!result.success) expect(EventParseError.isEventParseError(result.error)).toBe(true);
    }
  });
});

describe('Method: unwrapHttpTriggerEvent / detectFamily — errors', () => {
  it('unwrapHttpTriggerEvent rejects non-envelopes with UNKNOWN_FORMAT and the detected family', () => {
    expect(() => unwrapHttpTriggerEvent(fixtureText('events/cms-event-ecs-instance-statechange-running.json'))).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_FORMAT',
        message: expect.stringContaining('The FC event is not an FC 3.0 HTTP-trigger envelope'),
        details: expect.objectContaining({ family: 'cloudmonitor-event' }),
      }),
    );
    expect(() => unwrapHttpTriggerEvent('')).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => unwrapHttpTriggerEvent('{')).toThrow(expect.objectContaining({ code: 'INVALID_JSON', details: expect.objectContaining({ family: 'http-trigger' }) }));
  });

  it('detectFamily never throws and answers undefined for what it cannot read', () => {
    for (const bad of ['', '{', 42, null, undefined, { a: 1 }, [], [{ a: 1 }], 'text', new Uint8Array([0xff, 0xfe])]) {
      expect(detectFamily(bad)).toBeUndefined();
    }
    const ce = fixtureJson('events/eventbridge-ecs-statechange.INFERRED.json');
    const cms = fixtureJson('events/cms-event-ecs-instance-statechange-running.json');
    expect(detectFamily([ce, cms])).toBeUndefined();
    expect(detectFamily(JSON.stringify(JSON.stringify(cms)))).toBe('cloudmonitor-event');
    expect(detectFamily('{}', { contentType: 'text/html' })).toBeUndefined();
  });
});
