import { EventParseError } from '../errors.js';
import type { EventFamily, HttpTriggerRequest } from '../types.js';
import { checkTextSize, decodeBase64 } from './decode.js';
import { METRIC_KEYS } from './metric-alarm.js';
import type { SystemEventParts } from './system-event.js';
import { toIsoTime } from './time.js';
import { isObj, parseResourceRef, safeSet, str, type Obj } from './util.js';

const CMS_KEYS = ['product', 'resourceId', 'level', 'eventTime', 'content', 'regionId', 'userId', 'ver', 'instanceName'];
const API_KEYS = ['Product', 'Name', 'Level', 'Content', 'Time', 'ResourceId', 'RegionId', 'InstanceName', 'GroupId', 'Id'];

function count(o: Obj, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(o, k)) n++;
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
    throw new EventParseError(
      'INVALID_FIELD',
      `The ${what} has "${key}" of type ${Array.isArray(v) ? 'array' : typeof v}; expected a string. ${fix}`,
      { family, path: key },
    );
  }
  return v.trim();
}

/** `content` as object, or as a JSON string; other strings are kept verbatim. */
function readContent(v: unknown): { content?: Obj; contentText?: string; consumed: boolean } {
  if (isObj(v)) return { content: v, consumed: true };
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(t);
        if (isObj(parsed)) return { content: parsed, consumed: true };
      } catch {
        // not JSON: keep the text
      }
    }
    return { contentText: v, consumed: true };
  }
  return { consumed: false };
}

function productFrom(given: string | undefined, ref: string | undefined, family: EventFamily, what: string): string {
  const p = given ?? parseResourceRef(ref).product?.toUpperCase();
  if (!p) {
    throw new EventParseError(
      'MISSING_FIELD',
      `The ${what} has no "product" and no resource ARN to take it from. Add "product" (e.g. "ECS").`,
      { family, path: 'product' },
    );
  }
  return p;
}

const CMS_MAPPED = ['id', 'product', 'name', 'resourceId', 'regionId', 'userId', 'eventTime', 'instanceName', 'eventRealnameEn'];
/** Skip sets by (content consumed) + 2 × (top-level `time` used). */
const CMS_SKIP: readonly ReadonlySet<string>[] = [
  new Set(CMS_MAPPED),
  new Set([...CMS_MAPPED, 'content']),
  new Set([...CMS_MAPPED, 'time']),
  new Set([...CMS_MAPPED, 'content', 'time']),
];

/** CloudMonitor system event (documented, FC-observed, console test, 2023 shape, SDK model). */
export function cloudMonitorParts(o: Obj): SystemEventParts {
  const what = 'CloudMonitor system event';
  const rawName = requiredString(o, 'name', 'cloudmonitor-event', what, 'Expected e.g. "Instance:StateChange".');
  const resourceRef = str(o.resourceId);
  const product = productFrom(str(o.product), resourceRef, 'cloudmonitor-event', what);
  const { content, contentText, consumed } = readContent(o.content);
  let time = toIsoTime(o.eventTime);
  let timeUsed = false;
  if (time === undefined) {
    time = toIsoTime(o.time);
    timeUsed = time !== undefined;
  }
  const skip = CMS_SKIP[(consumed ? 1 : 0) + (timeUsed ? 2 : 0)]!;
  if (time === undefined) {
    const tm = o.timeMetrics;
    if (isObj(tm)) time = toIsoTime(tm.event_time);
  }
  return {
    source: 'cloudmonitor',
    id: str(o.id),
    product,
    rawName,
    level: str(o.level) ?? str(o.curLevel),
    topStatus: str(o.status),
    resourceRef,
    region: str(o.regionId),
    account: str(o.userId),
    time,
    resourceName: str(o.instanceName),
    displayName: str(o.eventRealnameEn),
    content,
    contentText,
    extras: o,
    skip,
    raw: o,
  };
}

const API_MAPPED = ['Id', 'Product', 'Name', 'ResourceId', 'RegionId', 'Time', 'InstanceName'];
const API_SKIP: ReadonlySet<string> = new Set(API_MAPPED);
const API_SKIP_CONTENT: ReadonlySet<string> = new Set([...API_MAPPED, 'Content']);

/** One event of CloudMonitor's DescribeSystemEventAttribute API (PascalCase). */
export function apiEventParts(o: Obj): SystemEventParts {
  const what = 'DescribeSystemEventAttribute event';
  const rawName = requiredString(o, 'Name', 'cloudmonitor-api-event', what, 'Expected e.g. "Instance:StateChange".');
  const resourceRef = str(o.ResourceId);
  const product = productFrom(str(o.Product), resourceRef, 'cloudmonitor-api-event', what);
  const { content, contentText, consumed } = readContent(o.Content);
  const skip = consumed ? API_SKIP_CONTENT : API_SKIP;
  return {
    source: 'cloudmonitor',
    id: str(o.Id),
    product,
    rawName,
    level: str(o.Level),
    topStatus: str(o.Status),
    resourceRef,
    region: str(o.RegionId),
    account: undefined,
    time: toIsoTime(o.Time),
    resourceName: str(o.InstanceName),
    displayName: undefined,
    content,
    contentText,
    extras: o,
    skip,
    camelExtras: true,
    raw: o,
  };
}

const CE_MAPPED = ['id', 'type', 'data_base64', 'time', 'aliyunregionid', 'aliyunaccountid', 'specversion', 'datacontenttype'];
/** Skip sets by (data consumed) + 2 × (subject used as the resource). */
const CE_SKIP: readonly ReadonlySet<string>[] = [
  new Set(CE_MAPPED),
  new Set([...CE_MAPPED, 'data']),
  new Set([...CE_MAPPED, 'subject']),
  new Set([...CE_MAPPED, 'data', 'subject']),
];

/** EventBridge CloudEvent → parts. */
export function cloudEventParts(o: Obj, maxBytes: number): SystemEventParts {
  const type = requiredString(o, 'type', 'eventbridge', 'EventBridge CloudEvent', 'Expected e.g. "ecs:Instance:StateChange".');
  const source = str(o.source);
  const colon = type.indexOf(':');
  const prefix = colon > 0 ? type.slice(0, colon) : undefined;
  const productRaw = prefix ?? source?.replace(/^acs[.:]/, '');
  if (!productRaw) {
    throw new EventParseError(
      'MISSING_FIELD',
      'The EventBridge CloudEvent has no "source" and its "type" has no product prefix. Expected e.g. source "acs.ecs".',
      { family: 'eventbridge', path: 'source' },
    );
  }
  const rawName = colon > 0 ? type.slice(colon + 1) || type : type;
  let dataValue = o.data;
  const b64 = o.data_base64;
  if (dataValue === undefined && typeof b64 === 'string') dataValue = decodeBase64(b64, maxBytes, 'CloudEvent data_base64');
  const { content, contentText, consumed } = readContent(dataValue);
  const subject = str(o.subject);
  const arnSubject = subject && (subject.startsWith('acs:') || subject.startsWith('acs.')) ? subject : undefined;
  const skip = CE_SKIP[(consumed ? 1 : 0) + (arnSubject ? 2 : 0)]!;
  return {
    source: 'eventbridge',
    id: str(o.id),
    product: productRaw.toUpperCase(),
    rawName,
    level: content ? (str(content.level) ?? str(content.curLevel)) : undefined,
    topStatus: undefined,
    resourceRef: arnSubject,
    region: str(o.aliyunregionid),
    account: str(o.aliyunaccountid),
    time: toIsoTime(o.time) ?? toIsoTime(o.aliyunpublishtime),
    resourceName: undefined,
    displayName: undefined,
    content,
    contentText,
    extras: o,
    skip,
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
  const rc = o.requestContext;
  const http = isObj(rc) ? rc.http : undefined;
  const bodyValue = o.body;
  let body: string;
  if (bodyValue === undefined || bodyValue === null) body = '';
  else if (typeof bodyValue === 'string') body = bodyValue;
  else {
    throw new EventParseError(
      'INVALID_FIELD',
      `The HTTP-trigger envelope has "body" of type ${Array.isArray(bodyValue) ? 'array' : typeof bodyValue}; FC passes the body as a string. ` +
        'Pass the FC event unchanged.',
      { family: 'http-trigger', path: 'body' },
    );
  }
  const flagged = o.isBase64Encoded;
  if (flagged === true || flagged === 'true') body = decodeBase64(body, maxBytes, 'HTTP-trigger body');
  else checkTextSize(body, maxBytes, 'HTTP-trigger body');
  const rawPath = str(o.rawPath) ?? '';
  const sourceIp = isObj(http) ? str(http.sourceIp) : undefined;
  const requestId = isObj(rc) ? str(rc.requestId) : undefined;
  return {
    method: ((isObj(http) ? str(http.method) : undefined) ?? str(o.httpMethod) ?? '').toUpperCase(),
    path: (isObj(http) ? str(http.path) : undefined) ?? rawPath,
    rawPath,
    headers,
    query,
    body,
    contentType: headers['content-type'] ?? '',
    ...(sourceIp !== undefined ? { sourceIp } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  };
}
