import { EventParseError } from '../errors.js';
import type { Alert, AlertSeverity } from '../types.js';
import { finishAlert, levelSeverity, type ParseContext } from './system-event.js';
import { toIsoTime } from './time.js';
import { DetailsBuilder, dict, isObj, jsonObject, label, parseResourceRef, payloadHash, safeSet, str, type Obj } from './util.js';

/**
 * CloudMonitor namespaces → product code as Alibaba Cloud spells it, for the namespaces where that is not simply the
 * upper-cased name without `acs_`/`_dashboard` (`acs_ecs_dashboard`, `acs_rds`, `acs_slb`, `acs_oss`, `acs_cdn`,
 * `acs_fc`, `acs_alb`, `acs_nlb` are, see {@link productFromNamespace}).
 */
const NAMESPACE_PRODUCTS = dict<string>({
  acs_apigateway: 'ApiGateway',
  acs_apigateway_dashboard: 'ApiGateway',
  acs_kvstore: 'KVStore',
  acs_mongodb: 'MongoDB',
  acs_vpc_eip: 'EIP',
  acs_nat_gateway: 'NAT',
  acs_polardb: 'PolarDB',
  acs_networkmonitor: 'SiteMonitor',
  acs_k8s: 'ACK',
});

/** `acs_ecs_dashboard` → `ECS`; unknown namespaces lose `acs_`/`_dashboard` and are upper-cased. */
export function productFromNamespace(namespace: string | undefined): string | undefined {
  if (!namespace) return undefined;
  const key = namespace.toLowerCase();
  const known = NAMESPACE_PRODUCTS[key];
  if (known) return known;
  const bare = key.replace(/^acs_/, '').replace(/_dashboard$/, '');
  return bare === '' ? undefined : bare.toUpperCase();
}

/**
 * Parses CloudMonitor's Java-map `dimensions` (`{instanceId=i-xxx, userId=123}`), a JSON object string,
 * an object, or an array of objects/`{name,value}` pairs into a null-prototype record.
 */
export function parseDimensions(value: unknown): Obj {
  const out: Obj = Object.create(null) as Obj;
  const put = (k: string, v: unknown): void => {
    const key = k.trim();
    if (key !== '' && !Object.hasOwn(out, key)) safeSet(out, key, v);
  };
  const putAll = (o: Obj): void => {
    for (const k of Object.keys(o)) put(k, o[k]);
  };
  if (typeof value === 'string') {
    const t = value.trim();
    const parsed = t.startsWith('{') && t.includes('"') ? jsonObject(t) : undefined;
    if (parsed) {
      putAll(parsed);
      return out;
    }
    // Not JSON: the Java-map form.
    const inner = t.replace(/^\{/, '').replace(/\}$/, '');
    for (const part of inner.split(/,\s*/)) {
      const eq = part.indexOf('=');
      if (eq > 0) put(part.slice(0, eq), part.slice(eq + 1).trim());
    }
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 64)) {
      if (!isObj(item)) continue;
      const n = str(item.name) ?? str(item.key);
      if (n !== undefined && 'value' in item) put(n, item.value);
      else putAll(item);
    }
    return out;
  }
  if (isObj(value)) putAll(value);
  return out;
}

const ID_EXCLUDED = new Set(['userid', 'groupid', 'regionid', 'region']);

function resourceFromDimensions(dims: Obj): string | undefined {
  const direct = str(dims.instanceId) ?? str(dims.resourceId);
  if (direct) return direct;
  for (const k of Object.keys(dims)) {
    if (ID_EXCLUDED.has(k.toLowerCase())) continue;
    if (/(Id|Uid|_id)$/.test(k)) {
      const v = str(dims[k]);
      if (v) return v;
    }
  }
  return undefined;
}

function unitFor(metricName: string | undefined, unit: string | undefined): string {
  if (unit && /^[\x20-\x7e]{1,12}$/.test(unit)) return unit === '%' ? '%' : ` ${unit}`;
  if (metricName && /utili[sz]ation|percent|^(host\.)?cpu[._](total|user|system|idle|wait)$/i.test(metricName)) return '%';
  return '';
}

const SIMPLE_EXPRESSION = /^\s*\$?\w+\s*(>=|<=|==|!=|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

function humanExpression(expression: string | undefined, unit: string): string | undefined {
  if (!expression) return undefined;
  const m = SIMPLE_EXPRESSION.exec(expression);
  if (m) return `${m[1]} ${m[2]}${unit}`;
  return expression.replace(/\$(\w+)/g, '$1');
}

const MAPPED = new Set(['alertState', 'timestamp', 'regionId', 'userId', 'instanceName', 'dimensions']);

/** Does this key/value object look like a metric-alarm callback? */
export const METRIC_KEYS = [
  'alertName',
  'alertState',
  'metricName',
  'metricProject',
  'namespace',
  'curValue',
  'expression',
  'triggerLevel',
  'preTriggerLevel',
  'dimensions',
  'ruleId',
] as const;

/** A decoded metric-alarm callback (form fields) → Alert. */
export function buildMetricAlarm(o: Obj, ctx: ParseContext): Alert {
  const get = (k: string): string | undefined => str(o[k]);
  const metricName = get('metricName') ?? get('rawMetricName');
  const alertName = get('alertName');
  const name = metricName ?? alertName;
  if (name === undefined) {
    throw new EventParseError(
      'MISSING_FIELD',
      'The CloudMonitor metric-alarm callback has neither "metricName" nor "alertName". Pass the whole callback body.',
      { family: 'metric-alarm', path: 'metricName' },
    );
  }
  const triggerLevel = get('triggerLevel');
  const stateRaw = get('alertState') ?? (triggerLevel?.toUpperCase() === 'OK' ? 'OK' : undefined);
  if (stateRaw === undefined) {
    throw new EventParseError(
      'MISSING_FIELD',
      'The CloudMonitor metric-alarm callback has no "alertState" (ALERT, OK or INSUFFICIENT_DATA). Pass the whole callback body.',
      { family: 'metric-alarm', path: 'alertState' },
    );
  }
  const status = stateRaw.toUpperCase();

  const dims = parseDimensions(o.dimensions);
  const ref = parseResourceRef(resourceFromDimensions(dims));
  const resourceId = ref.id ?? '';
  const resourceName = get('instanceName');
  const regionName = get('regionName');
  const region =
    get('regionId') ??
    str(dims.regionId) ??
    str(dims.region) ??
    (regionName && /^[a-z]{2,}-[a-z0-9-]+$/.test(regionName) ? regionName : undefined);
  const accountId = get('userId') ?? str(dims.userId);
  const product = productFromNamespace(get('namespace') ?? get('metricProject')) ?? 'CloudMonitor';

  const unit = unitFor(metricName, get('unit'));
  const value = get('curValue');
  const expression = humanExpression(get('expression'), unit);
  const target = resourceId || resourceName ? ` on ${label(resourceName, resourceId)}` : '';
  const head = alertName ?? name;
  const metric = metricName ?? '';
  const reading = value !== undefined ? `${metric} ${value}${unit}`.trim() : metric;
  let severity: AlertSeverity;
  let summary: string;
  if (status === 'OK') {
    severity = 'ok';
    summary = `${head} recovered: ${reading}${expression ? ` (alerts at ${expression})` : ''}${target}`;
  } else if (status === 'INSUFFICIENT_DATA') {
    severity = 'warning';
    summary = `${head}: no data${metric ? ` for ${metric}` : ''}${target}`;
  } else {
    severity = levelSeverity(triggerLevel) ?? 'warning';
    summary = `${head}: ${reading}${expression ? ` (${expression})` : ''}${target}`;
  }

  const details = new DetailsBuilder();
  for (const k of Object.keys(o)) {
    if (MAPPED.has(k) || (k === 'metricName' && metricName !== undefined)) continue;
    const v = o[k];
    if (typeof v === 'string' && str(v) === undefined) continue; // "null", "" → absent
    details.add(k, v, 1);
  }
  if (Object.keys(dims).length > 0) details.add('dimensions', dims, 1);
  return finishAlert(
    { id: get('transId') ?? payloadHash(o), kind: 'metric-alarm', source: 'cloudmonitor', product, name, status, severity, resourceId },
    toIsoTime(get('timestamp')),
    summary,
    details,
    o,
    { resourceArn: ref.arn, resourceName, region, accountId },
    ctx,
  );
}
