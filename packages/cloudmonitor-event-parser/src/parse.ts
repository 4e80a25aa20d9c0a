import { EventParseError, type EventParseErrorDetails } from './errors.js';
import {
  bodyFormat,
  checkedText,
  classifyContentType,
  cleanText,
  DEFAULT_MAX_INPUT_BYTES,
  inputText,
  isRawInput,
  parseForm,
  parseJson,
  type BodyKind,
} from './internal/decode.js';
import {
  apiEventList,
  classifyObject,
  cloudEventParts,
  cloudMonitorParts,
  unwrapEnvelopeObject,
} from './internal/families.js';
import { buildMetricAlarm } from './internal/metric-alarm.js';
import { buildSystemAlert, type ParseContext } from './internal/system-event.js';
import { dict, isObj, typeName, type Obj } from './internal/util.js';
import type { Alert, EventFamily, HttpTriggerRequest, ParseOptions, RejectedElement, SafeParseBatchResult, SafeParseResult } from './types.js';

interface Resolved {
  readonly contentType: string | undefined;
  readonly maxInputBytes: number;
  readonly ctx: ParseContext;
  /** When set, a bad element of a list is collected here instead of failing the whole input. */
  readonly rejected?: RejectedElement[];
}

/** Each option's type check and what the message asks for; null prototype, so `constructor` is an unknown key. */
const OPTION_CHECKS = dict<[check: (v: unknown) => boolean, expected: string]>({
  contentType: [(v) => typeof v === 'string', 'a string such as "application/json"'],
  maxInputBytes: [(v) => Number.isInteger(v) && (v as number) > 0, 'a positive integer (bytes)'],
  now: [(v) => typeof v === 'function', 'a function returning a Date'],
});

function safeNow(now: () => Date): () => Date {
  return () => {
    const d = now();
    return d instanceof Date && Number.isFinite(d.getTime()) ? d : new Date();
  };
}

function resolveOptions(options: ParseOptions | undefined): Resolved {
  const o = (options ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object') {
    throw new EventParseError('INVALID_OPTIONS', `options must be an object, got ${typeof o}.`, { path: 'options' });
  }
  for (const key of Object.keys(o)) {
    const path = `options.${key.slice(0, 40)}`;
    if (!OPTION_CHECKS[key]) {
      throw new EventParseError('INVALID_OPTIONS', `Unknown option "${path}". Allowed: ${Object.keys(OPTION_CHECKS).join(', ')}.`, { path });
    }
  }
  for (const key of Object.keys(OPTION_CHECKS)) {
    const [check, expected] = OPTION_CHECKS[key]!;
    const v = o[key];
    if (v !== undefined && !check(v)) {
      throw new EventParseError('INVALID_OPTIONS', `options.${key} must be ${expected}, got ${typeName(v)}.`, { path: `options.${key}` });
    }
  }
  const { contentType, maxInputBytes, now } = o as ParseOptions;
  return {
    contentType,
    maxInputBytes: maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES,
    ctx: { now: now ? safeNow(now) : () => new Date() },
  };
}

function keyHint(o: Obj): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return 'it is an empty object';
  const shown = keys.slice(0, 8).map((k) => k.slice(0, 32).replace(/[^\w.-]/g, '?'));
  return `its top-level keys are ${shown.join(', ')}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}`;
}

/** Parses each element of a batch or a DescribeSystemEventAttribute list; errors name the element's index. */
function parseEach(list: readonly unknown[], r: Resolved, listName: string, where: string, family?: EventFamily): Alert[] {
  const out: Alert[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    try {
      if (!isObj(item)) {
        throw new EventParseError(
          'UNKNOWN_FORMAT',
          `A ${listName} must hold event objects, but this element is ${typeName(item)}.`,
          family ? { family } : {},
        );
      }
      out.push(...parseObject(item, r, false, where));
    } catch (error) {
      if (!EventParseError.isEventParseError(error)) throw error;
      // The same error, located: message prefix and `[i]` path prefix.
      const d: EventParseErrorDetails = error.details;
      const located = new EventParseError(
        error.code,
        `Event [${i}] of the batch: ${error.message}`,
        { ...d, path: d.path ? `[${i}].${d.path}` : `[${i}]` },
        error.cause === undefined ? undefined : { cause: error.cause },
      );
      if (!r.rejected) throw located;
      r.rejected.push({ index: i, error: located, element: item });
    }
  }
  return out;
}

function parseObject(o: Obj, r: Resolved, allowEnvelope: boolean, where: string): Alert[] {
  const family = classifyObject(o);
  switch (family) {
    case 'http-trigger': {
      if (!allowEnvelope) {
        throw new EventParseError(
          'UNKNOWN_FORMAT',
          `The ${where} is an FC HTTP-trigger envelope nested inside another payload; pass the FC event itself.`,
          { family },
        );
      }
      const request = unwrapEnvelopeObject(o, r.maxInputBytes);
      return parseText(request.body, classifyContentType(request.contentType, 'the HTTP Content-Type header'), r, false, 'HTTP-trigger body', true);
    }
    case 'eventbridge':
      return [buildSystemAlert(cloudEventParts(o, r.maxInputBytes), r.ctx)];
    case 'cloudmonitor-api-event': {
      const list = apiEventList(o);
      return list
        ? parseEach(list, r, 'DescribeSystemEventAttribute list', 'DescribeSystemEventAttribute event', family)
        : [buildSystemAlert(cloudMonitorParts(o, true), r.ctx)];
    }
    case 'metric-alarm':
      return [buildMetricAlarm(o, r.ctx)];
    case 'cloudmonitor-event':
      return [buildSystemAlert(cloudMonitorParts(o), r.ctx)];
    default:
      throw new EventParseError(
        'UNKNOWN_FORMAT',
        `The ${where} is not a payload the parser knows (${keyHint(o)}). Expected a CloudMonitor system event, EventBridge ` +
          'CloudEvent, metric-alarm callback, DescribeSystemEventAttribute event or FC HTTP-trigger envelope.',
      );
  }
}

function parseValue(v: unknown, r: Resolved, allowEnvelope: boolean, allowString: boolean, where: string): Alert[] {
  if (Array.isArray(v)) return parseEach(v, r, 'batch', 'batch element');
  if (isObj(v)) return parseObject(v, r, allowEnvelope, where);
  if (typeof v === 'string' && allowString) return parseText(v, 'sniff', r, allowEnvelope, `JSON string in the ${where}`, false);
  throw new EventParseError(
    'UNKNOWN_FORMAT',
    `The ${where} is a JSON ${typeName(v)}; expected an event object or an array of events.`,
  );
}

function parseText(
  text: string,
  kind: BodyKind,
  r: Resolved,
  allowEnvelope: boolean,
  where: string,
  allowString: boolean,
): Alert[] {
  const t = checkedText(text, r.maxInputBytes, where);
  if (t === '') {
    throw new EventParseError('EMPTY_INPUT', `The ${where} is empty. Pass the event payload (FC event, HTTP body or object).`, {
      inputSize: text.length,
    });
  }
  const format = bodyFormat(t, kind);
  if (format === undefined) {
    throw new EventParseError(
      'UNKNOWN_FORMAT',
      `The ${where} is neither JSON nor a form-urlencoded body (${t.length} characters). Pass the event JSON ` +
        'or the metric-alarm callback form body.',
      { inputSize: t.length },
    );
  }
  return format === 'json'
    ? parseValue(parseJson(t, where), r, allowEnvelope, allowString, where)
    : parseValue(parseForm(t, where), r, allowEnvelope, false, where);
}

function parseInput(input: unknown, r: Resolved): Alert[] {
  if (input === undefined || input === null) {
    throw new EventParseError('EMPTY_INPUT', `The input is ${input}. Pass the event payload (string, Buffer/Uint8Array or object).`);
  }
  if (isRawInput(input)) {
    const kind = classifyContentType(r.contentType);
    return parseText(inputText(input, r.maxInputBytes, 'input'), kind, r, true, 'input', true);
  }
  if (typeof input === 'object') return parseValue(input, r, true, false, 'input');
  throw new EventParseError(
    'INVALID_INPUT_TYPE',
    `The input is a ${typeof input}; pass a string, a Buffer/Uint8Array, or an already parsed object.`,
  );
}

function wrapUnexpected(error: unknown): EventParseError {
  if (EventParseError.isEventParseError(error)) return error;
  const kind = error instanceof Error ? error.name : typeof error;
  return new EventParseError(
    'INTERNAL_ERROR',
    `Unexpected ${kind} while parsing the input (a parser bug, or an object with throwing getters); please report it.`,
    {},
    { cause: error },
  );
}

/**
 * Parses any supported Alibaba Cloud alert payload into normalized alerts.
 *
 * Accepts the FC event as it arrives (a `Buffer`), a string, or an already parsed object. A batch
 * (array of CloudEvents) or a `DescribeSystemEventAttribute` response gives several alerts; an
 * empty array gives none. Without `options.contentType` the family is detected from the input.
 *
 * @param input - `string`, `Uint8Array`/`Buffer`, `ArrayBuffer`, or a parsed object/array
 * @param options - content type, size limit, clock ({@link ParseOptions})
 * @returns one alert per event
 * @throws {@link EventParseError} and nothing else; see its `code`
 *
 * @example
 * ```ts
 * import { parse } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * export const handler = async (event: Buffer) => {
 *   const alerts = parse(event);
 *   for (const alert of alerts) console.log(alert.severity, alert.summary);
 *   // warning ECS instance web-prod-01 (i-bp1...) is Stopped
 * };
 * ```
 */
export function parse(input: string | Uint8Array | ArrayBuffer | object, options?: ParseOptions): Alert[] {
  try {
    return parseInput(input, resolveOptions(options));
  } catch (error) {
    throw wrapUnexpected(error);
  }
}

/**
 * Like {@link parse}, but returns the error instead of throwing. Never throws.
 *
 * @example
 * ```ts
 * import { safeParse } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const result = safeParse(body, { contentType: headers['content-type'] });
 * if (result.success) await notify(result.data);
 * else console.error(result.error.code, result.error.message);
 * ```
 */
export function safeParse(input: string | Uint8Array | ArrayBuffer | object, options?: ParseOptions): SafeParseResult {
  try {
    return { success: true, data: parse(input, options) };
  } catch (error) {
    return { success: false, error: wrapUnexpected(error) };
  }
}

/**
 * Like {@link safeParse}, but one bad element of a batch (an array of CloudEvents, or a
 * `DescribeSystemEventAttribute` list) does not fail the whole input: the good elements are parsed into
 * `data`, and each bad one is returned in `rejected` with its index, the error `parse` would have thrown for
 * it (path prefixed `[i]`) and the element itself. Input that is bad as a whole (not JSON, not a batch or an
 * event) still gives `success: false`. Never throws.
 *
 * @example
 * ```ts
 * import { safeParseBatch } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const result = safeParseBatch(eventBuffer);
 * if (result.success) {
 *   for (const bad of result.rejected) console.error(bad.index, bad.error.code); // 3 INVALID_FIELD
 *   await notify(result.data);
 * }
 * ```
 */
export function safeParseBatch(input: string | Uint8Array | ArrayBuffer | object, options?: ParseOptions): SafeParseBatchResult {
  try {
    const rejected: RejectedElement[] = [];
    return { success: true, data: parseInput(input, { ...resolveOptions(options), rejected }), rejected };
  } catch (error) {
    return { success: false, error: wrapUnexpected(error) };
  }
}

function decodeForDetection(input: unknown, r: Resolved): unknown {
  if (!isRawInput(input)) return input;
  const t = checkedText(inputText(input, r.maxInputBytes, 'input'), r.maxInputBytes, 'input');
  if (bodyFormat(t, classifyContentType(r.contentType)) === 'form') return parseForm(t, 'input');
  const v = parseJson(t, 'input');
  return typeof v === 'string' ? parseJson(cleanText(v), 'input') : v;
}

/**
 * Tells which {@link EventFamily} an input belongs to, without normalizing it. Never throws:
 * `undefined` means "not recognised" (or not decodable). An array is classified by its elements
 * when they all agree. Use it in the forwarder to tell an HTTP-trigger envelope from an event.
 *
 * @example
 * ```ts
 * import { detectFamily, unwrapHttpTriggerEvent, parse } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * if (detectFamily(event) === 'http-trigger') {
 *   const request = unwrapHttpTriggerEvent(event);
 *   // check request.query.token, then:
 *   parse(request.body, { contentType: request.contentType });
 * }
 * ```
 */
export function detectFamily(input: unknown, options?: ParseOptions): EventFamily | undefined {
  try {
    const v = decodeForDetection(input, resolveOptions(options));
    if (Array.isArray(v)) {
      let family: EventFamily | undefined;
      for (const item of v) {
        const f = isObj(item) ? classifyObject(item) : undefined;
        if (f === undefined || (family !== undefined && f !== family)) return undefined;
        family = f;
      }
      return family;
    }
    return isObj(v) ? classifyObject(v) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Unwraps an FC 3.0 HTTP-trigger event: method, path, lower-cased headers, query parameters, and the body
 * as text (base64-decoded when `isBase64Encoded`). The forwarder uses it for its token check before parsing the body.
 *
 * @param event - the FC event (`Buffer`, string or parsed object)
 * @param options - `maxInputBytes` applies to the event and to the decoded body
 * @throws {@link EventParseError} `UNKNOWN_FORMAT` when the input is not an HTTP-trigger envelope,
 * `INVALID_BASE64`, `INVALID_JSON`, `INVALID_FIELD`, `INPUT_TOO_LARGE`
 *
 * @example
 * ```ts
 * import { unwrapHttpTriggerEvent, parse } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const request = unwrapHttpTriggerEvent(eventBuffer);
 * if (!tokenMatches(request.query.token)) return { statusCode: 403, body: 'forbidden' };
 * const alerts = parse(request.body, { contentType: request.contentType });
 * ```
 */
export function unwrapHttpTriggerEvent(
  event: string | Uint8Array | ArrayBuffer | object,
  options?: Pick<ParseOptions, 'maxInputBytes'>,
): HttpTriggerRequest {
  try {
    const r = resolveOptions(options);
    let v: unknown = event;
    if (isRawInput(event)) {
      const t = checkedText(inputText(event, r.maxInputBytes, 'FC event'), r.maxInputBytes, 'FC event');
      if (t === '') throw new EventParseError('EMPTY_INPUT', 'The FC event is empty; pass the HTTP-trigger event unchanged.');
      v = parseJson(t, 'FC event', 'http-trigger');
    }
    if (!isObj(v) || classifyObject(v) !== 'http-trigger') {
      throw new EventParseError(
        'UNKNOWN_FORMAT',
        'The FC event is not an FC 3.0 HTTP-trigger envelope ({version, rawPath, headers, queryParameters, body, ' +
          'isBase64Encoded, requestContext}). Call parse() for event-trigger payloads.',
        { family: isObj(v) ? classifyObject(v) : undefined },
      );
    }
    return unwrapEnvelopeObject(v, r.maxInputBytes);
  } catch (error) {
    throw wrapUnexpected(error);
  }
}
