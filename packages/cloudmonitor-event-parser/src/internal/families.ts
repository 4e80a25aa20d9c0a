import { EventParseError } from '../errors.js';
import type { EventFamily, HttpTriggerRequest } from '../types.js';
import { checkTextSize, decodeBase64 } from './decode.js';
import { METRIC_KEYS } from './metric-alarm.js';
import type { SystemEventParts } from './system-event.js';
import { toIsoTime } from './time.js';
import { isObj, jsonObject, parseResourceRef, safeSet, str, typeName, type Obj } from './util.js';

const CMS_KEYS = ['product', 'resourceId', 'level', 'eventTime', 'content', 'regionId', 'userId', 'ver', 'instanceName'];
const API_KEYS = ['Product', 'Name', 'Level', 'Content', 'Time', 'ResourceId', 'RegionId', 'InstanceName', 'GroupId', 'Id'];

function count(o: Obj, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) if (Object.hasOwn(o, k)) n++;
  return n;
}

/** The API response body (`{SystemEvents: {SystemEvent: [...]}}`) or the SDK model (`systemEvents.systemEvent`). */
export function apiEventList(o: Obj): unknown[] | undefined {
  const wrapper = o.SystemEvents ?? o.systemEvents;
  if (!isObj(wrapper)) return undefined;
  const list = wrapper.SystemEvent ?? wrapper.systemEvent;
  if (Array.isArray(list)) return list;
  if (isObj(list)) return [list];
  if (list === undefined || list === null) return [];
  return undefined;
}

/** Classifies one decoded object; `undefined` when it matches no family. Never throws. */
export function classifyObject(o: Obj): EventFamily | undefined {
  const rc = o.requestContext;
  if (isObj(rc) && (typeof o.rawPath === 'string' || 'isBase64Encoded' in o || isObj(o.headers))) {
    return 'http-trigger';
  }
  if (
    o.specversion !== undefined ||
    (typeof o.type === 'string' &&
      typeof o.source === 'string' &&
      ('data' in o || 'data_base64' in o || 'aliyuneventbusname' in o))
  ) {
    return 'eventbridge';
  }
  if (apiEventList(o) !== undefined) return 'cloudmonitor-api-event';
  const api = count(o, API_KEYS);
  if ((api >= 2 && 'Name' in o) || api >= 3) return 'cloudmonitor-api-event';
  const cms = count(o, CMS_KEYS);
  const hasName = 'name' in o;
  if (count(o, METRIC_KEYS) >= 2 && !(hasName && 'content' in o)) return 'metric-alarm';
  if ((hasName && cms >= 1) || cms >= 3) return 'cloudmonitor-event';
  return undefined;
}

function requiredString(o: Obj, key: string, family: EventFamily, what: string, fix: string): string {
  const v = o[key];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    throw new EventParseError('MISSING_FIELD', `The ${what} has no "${key}". ${fix}`, { family, path: key });
  }
  if (typeof v !== 'string') {
    throw new EventParseError('INVALID_FIELD', `The ${what} has "${key}" of type ${typeName(v)}; expected a string. ${fix}`, {
      family,
      path: key,
    });
  }
  return v.trim();
}

/**
 * `content` as object, or as a JSON string; other strings are kept verbatim. `undefined` when the value is neither an
 * object nor a string (then the key is left to details like any other).
 */
function readContent(v: unknown): { content?: Obj; contentText?: string } | undefined {
  if (isObj(v)) return { content: v };
  if (typeof v === 'string') {
    const t = v.trim();
    const parsed = t.startsWith('{') ? jsonObject(t) : undefined;
    return parsed ? { content: parsed } : { contentText: v };
  }
  return undefined;
}

const CMS_MAPPED = ['id', 'product', 'name', 'resourceId', 'regionId', 'userId', 'eventTime', 'instanceName', 'eventRealnameEn'];
const API_MAPPED = ['Id', 'Product', 'Name', 'ResourceId', 'RegionId', 'Time', 'InstanceName'];

/**
 * A CloudMonitor system event (documented, FC-observed, console test, 2023 shape, SDK model), or with `api` one event of
 * CloudMonitor's DescribeSystemEventAttribute API: the same fields in PascalCase (`Name`, `ResourceId`, `Content`...),
 * with `Time` as its only time and no account, `curLevel` or display name.
 */
export function cloudMonitorParts(o: Obj, api = false): SystemEventParts {
  const field = (key: string): unknown => o[api ? key[0]!.toUpperCase() + key.slice(1) : key];
  const family = api ? 'cloudmonitor-api-event' : 'cloudmonitor-event';
  const what = api ? 'DescribeSystemEventAttribute event' : 'CloudMonitor system event';
  const rawName = requiredString(o, api ? 'Name' : 'name', family, what, 'Expected e.g. "Instance:StateChange".');
  const resourceRef = str(field('resourceId'));
  const product = str(field('product')) ?? parseResourceRef(resourceRef).product?.toUpperCase();
  if (!product) {
    throw new EventParseError(
      'MISSING_FIELD',
      `The ${what} has no "product" and no resource ARN to take it from. Add "product" (e.g. "ECS").`,
      { family, path: 'product' },
    );
  }
  const body = readContent(field('content'));
  let time = toIsoTime(api ? o.Time : o.eventTime);
  let timeUsed = false;
  if (!api && time === undefined) {
    time = toIsoTime(o.time);
    timeUsed = time !== undefined;
    if (time === undefined && isObj(o.timeMetrics)) time = toIsoTime(o.timeMetrics.event_time);
  }
  return {
    source: 'cloudmonitor',
    id: str(field('id')),
    product,
    rawName,
    level: str(field('level')) ?? (api ? undefined : str(o.curLevel)),
    topStatus: str(field('status')),
    resourceRef,
    region: str(field('regionId')),
    account: api ? undefined : str(o.userId),
    time,
    resourceName: str(field('instanceName')),
    displayName: api ? undefined : str(o.eventRealnameEn),
    content: body?.content,
    contentText: body?.contentText,
    skip: (api ? API_MAPPED : CMS_MAPPED).concat(body ? (api ? 'Content' : 'content') : [], timeUsed ? 'time' : []),
    camelExtras: api,
    raw: o,
  };
}

const CE_MAPPED = ['id', 'type', 'data_base64', 'time', 'aliyunregionid', 'aliyunaccountid', 'specversion', 'datacontenttype'];

/** EventBridge CloudEvent → parts. */
export function cloudEventParts(o: Obj, maxBytes: number): SystemEventParts {
  const type = requiredString(o, 'type', 'eventbridge', 'EventBridge CloudEvent', 'Expected e.g. "ecs:Instance:StateChange".');
  const source = str(o.source);
  const colon = type.indexOf(':');
  const productRaw = colon > 0 ? type.slice(0, colon) : source?.replace(/^acs[.:]/, '');
  if (!productRaw) {
    throw new EventParseError(
      'MISSING_FIELD',
      'The EventBridge CloudEvent has no "source" and its "type" has no product prefix. Add e.g. source "acs.ecs".',
      { family: 'eventbridge', path: 'source' },
    );
  }
  let data = o.data;
  if (data === undefined && typeof o.data_base64 === 'string') data = decodeBase64(o.data_base64, maxBytes, 'CloudEvent data_base64');
  const body = readContent(data);
  const content = body?.content;
  const subject = str(o.subject);
  const arnSubject = subject && (subject.startsWith('acs:') || subject.startsWith('acs.')) ? subject : undefined;
  return {
    source: 'eventbridge',
    id: str(o.id),
    product: productRaw.toUpperCase(),
    rawName: colon > 0 ? type.slice(colon + 1) || type : type,
    level: content ? (str(content.level) ?? str(content.curLevel)) : undefined,
    resourceRef: arnSubject,
    region: str(o.aliyunregionid),
    account: str(o.aliyunaccountid),
    time: toIsoTime(o.time) ?? toIsoTime(o.aliyunpublishtime),
    content: body?.content,
    contentText: body?.contentText,
    skip: CE_MAPPED.concat(body ? 'data' : [], arnSubject ? 'subject' : []),
    raw: o,
  };
}

function stringRecord(v: unknown, lower: boolean): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (!isObj(v)) return out;
  for (const k of Object.keys(v)) {
    const raw = v[k];
    let s: string | undefined;
    if (typeof raw === 'string') s = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') s = String(raw);
    else if (Array.isArray(raw)) s = raw.filter((x) => typeof x === 'string' || typeof x === 'number').join(',');
    if (s !== undefined) safeSet(out, lower ? k.toLowerCase() : k, s);
  }
  return out;
}

/** FC 3.0 HTTP-trigger envelope → request (body decoded). */
export function unwrapEnvelopeObject(o: Obj, maxBytes: number): HttpTriggerRequest {
  const headers = stringRecord(o.headers, true);
  const query = stringRecord(o.queryParameters, false);
  const rc: Obj = isObj(o.requestContext) ? o.requestContext : {};
  const http: Obj = isObj(rc.http) ? rc.http : {};
  const bodyValue = o.body;
  if (bodyValue != null && typeof bodyValue !== 'string') {
    throw new EventParseError(
      'INVALID_FIELD',
      `The HTTP-trigger envelope has "body" of type ${typeName(bodyValue)}; FC passes the body as a string. ` +
        'Pass the FC event unchanged.',
      { family: 'http-trigger', path: 'body' },
    );
  }
  let body = bodyValue ?? '';
  const flagged = o.isBase64Encoded;
  if (flagged === true || flagged === 'true') body = decodeBase64(body, maxBytes, 'HTTP-trigger body');
  else checkTextSize(body, maxBytes, 'HTTP-trigger body');
  const rawPath = str(o.rawPath) ?? '';
  const sourceIp = str(http.sourceIp);
  const requestId = str(rc.requestId);
  return {
    method: (str(http.method) ?? str(o.httpMethod) ?? '').toUpperCase(),
    path: str(http.path) ?? rawPath,
    rawPath,
    headers,
    query,
    body,
    contentType: headers['content-type'] ?? '',
    ...(sourceIp !== undefined ? { sourceIp } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  };
}
