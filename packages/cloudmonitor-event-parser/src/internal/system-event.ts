import type { Alert, AlertSeverity, AlertSource } from '../types.js';
import { toIsoTime } from './time.js';
import { DetailsBuilder, dict, humanize, label, parseResourceRef, payloadHash, str, type Obj, type ResourceRef } from './util.js';

/** What each system-event family extracts before the shared normalization (absent = not in the payload). */
export interface SystemEventParts {
  readonly source: AlertSource;
  readonly id?: string | undefined;
  readonly product: string;
  /** Event name as delivered, possibly with a `:Status` suffix. */
  readonly rawName: string;
  readonly level?: string | undefined;
  /** A top-level `status` field (CloudMonitor pushes `Normal`, `Exceeded`...). */
  readonly topStatus?: string | undefined;
  /** ARN or bare id of the resource (top-level `resourceId`, CloudEvent `subject`). */
  readonly resourceRef?: string | undefined;
  readonly region?: string | undefined;
  readonly account?: string | undefined;
  /** Already converted to ISO, or `undefined` when the payload has no usable time. */
  readonly time?: string | undefined;
  readonly resourceName?: string | undefined;
  /** Localized/English display name (`eventRealnameEn`), when the payload has one. */
  readonly displayName?: string | undefined;
  readonly content?: Obj | undefined;
  /** `content` given as a string that is not JSON: kept verbatim in details. */
  readonly contentText?: string | undefined;
  /** Top-level keys already mapped to Alert fields (left out of details). */
  readonly skip: readonly string[];
  /** Lower-case the first letter of leftover top-level keys (PascalCase API events → `details.level`). */
  readonly camelExtras?: boolean;
  /** The payload: its leftover top-level keys go into details. */
  readonly raw: Obj;
}


/** Context shared by one parse call. */
export interface ParseContext {
  readonly now: () => Date;
}

/** Status suffixes CloudMonitor appends to system-event names (`Instance:SystemMaintenance.Reboot:Scheduled`). */
const STATUS_SUFFIX = /^(scheduled|executing|executed|avoided|cancell?ed|failed|inquiring|normal)$/i;

/** Statuses that mean the problem is over (lower case). */
const RESOLVED = /^(ok|resolved|recovered|avoided|cancell?ed)$/;

const LEVELS = dict<AlertSeverity>({
  critical: 'critical',
  crit: 'critical',
  error: 'critical',
  warn: 'warning',
  warning: 'warning',
  info: 'info',
  information: 'info',
  notice: 'info',
  ok: 'ok',
});


/** `CRITICAL|WARN|INFO` (any case) → severity. */
export function levelSeverity(level: string | undefined): AlertSeverity | undefined {
  return level === undefined ? undefined : LEVELS[level.toLowerCase()];
}

/** Splits `Instance:SystemMaintenance.Reboot:Scheduled` into name and status suffix. */
export function splitStatusSuffix(rawName: string): { name: string; suffix: string | undefined } {
  const i = rawName.lastIndexOf(':');
  if (i > 0 && rawName.indexOf(':') < i) {
    const last = rawName.slice(i + 1).trim();
    if (STATUS_SUFFIX.test(last)) return { name: rawName.slice(0, i), suffix: last };
  }
  return { name: rawName, suffix: undefined };
}

/** `Instance:SystemMaintenance.Reboot` → `{ resource: 'Instance', category: 'SystemMaintenance', action: 'Reboot' }`. */
function systemEventParts(name: string): { category: string; action: string } | undefined {
  const m = /^(?:Instance|Ddh|DedicatedHost):(SystemMaintenance|SystemFailure|InstanceFailure|Security)\.([A-Za-z0-9.]+)$/.exec(
    name,
  );
  return m ? { category: m[1]!, action: m[2]! } : undefined;
}

const EXECUTED_OK_ACTIONS = /^(Reboot|Redeploy|RebootAnd\w+|ReInit\w*|PerformanceImpact|TpmAlert|Alert|Migrate|Isolate\w*)$/;

/** Severity an SRE expects; documented in the README ("Severity"). */
export function systemSeverity(
  product: string,
  name: string,
  status: string,
  level: string | undefined,
  content: Obj | undefined,
): AlertSeverity {
  const fromLevel = levelSeverity(level);
  const s = status.toLowerCase();
  const sys = systemEventParts(name);
  const diskIncident = name === 'Disk:Stalled' || name === 'Disk:ErrorDetected';
  if (sys || diskIncident) {
    if (/^(avoided|cancell?ed)$/.test(s)) return 'ok';
    if (s === 'failed') return 'critical';
    if (s === 'executed') {
      if (diskIncident) return 'ok';
      const action = sys!.action;
      if (EXECUTED_OK_ACTIONS.test(action)) return 'ok';
      if (action === 'Stop') return 'warning';
      if (action === 'Delete') return 'critical';
      return fromLevel ?? 'warning';
    }
    if (fromLevel) return fromLevel;
    return sys && (sys.category === 'Security' || sys.action === 'PerformanceImpact') ? 'warning' : 'critical';
  }
  if (RESOLVED.test(s)) return 'ok';
  const result = str(content ? content.result : undefined)?.toLowerCase();
  // At least a warning: only a critical level stays above it.
  const warning = fromLevel === 'critical' ? 'critical' : 'warning';
  if (s === 'failed' || result === 'failed') return warning;
  if (product.toUpperCase() === 'ECS') {
    if (name === 'Instance:StateChange') {
      return s === 'stopping' || s === 'stopped' || s === 'deleted' ? warning : (fromLevel ?? 'info');
    }
    if (/^(Instance:(PreemptibleInstanceInterruption|BurstablePerformanceRestricted)|Disk:OverduePaymentRelease)$/.test(name)) {
      return warning;
    }
  }
  return fromLevel ?? 'info';
}

/** ISO time → `2025-03-13 01:01:01 UTC`; unparseable values are shown as given. */
function when(value: unknown): string | undefined {
  const iso = toIsoTime(value);
  if (iso) return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
  return str(value);
}


/** Lower-case status → phrase, and the optional time that follows it: `[phrase, joint, content key]`. */
const PHRASES = dict<[phrase: string, joint?: string, timeKey?: string]>({
  scheduled: ['is scheduled', ', not before ', 'notBefore'],
  inquiring: ['awaits your authorization (inquiring)', ', not before ', 'notBefore'],
  executing: ['is executing', ' since ', 'executeStartTime'],
  executed: ['was executed', ' at ', 'executeFinishTime'],
  avoided: ['was avoided'],
  canceled: ['was canceled'],
  cancelled: ['was canceled'],
  failed: ['failed'],
});

function systemEventPhrase(status: string, c: Obj): string {
  const entry = PHRASES[status.toLowerCase()];
  if (!entry) return `is ${status}`;
  const [phrase, joint, timeKey] = entry;
  const time = timeKey ? when(c[timeKey]) : undefined;
  return time ? phrase + joint + time : phrase;
}

const DISK_STALL = dict<string>({
  Degraded: 'I/O performance degraded',
  SeverelyDegraded: 'I/O performance severely degraded',
  Stalled: 'I/O stalled',
});

interface SummaryFacts {
  readonly product: string;
  readonly name: string;
  readonly status: string;
  readonly resourceId: string;
  readonly resourceName: string | undefined;
  readonly displayName?: string | undefined;
  readonly content: Obj;
}

function ecsSummary(f: SummaryFacts): string | undefined {
  const c = f.content;
  const get = (k: string): string | undefined => str(c[k]);
  /** The resource as `name (id)`: an instance, or a disk for the Disk:* events. */
  const instance = label(f.resourceName, f.resourceId);
  const sys = systemEventParts(f.name);
  if (sys) {
    // humanize: `SystemMaintenance` → `system maintenance`, `Reboot` → `reboot`.
    return `ECS instance ${instance}: ${humanize(sys.category)} ${humanize(sys.action)} ${systemEventPhrase(f.status, c)}`;
  }
  switch (f.name) {
    case 'Instance:StateChange':
      return `ECS instance ${instance} is ${f.status}`;
    case 'Instance:PreemptibleInstanceInterruption': {
      const action = get('action');
      return action === undefined || action.toLowerCase() === 'delete'
        ? `ECS spot instance ${instance} is interrupted and will be released in about 5 minutes`
        : `ECS spot instance ${instance} is interrupted (action ${action})`;
    }
    case 'Instance:BurstablePerformanceRestricted': {
      const from = when(c.intervalStart);
      const to = when(c.intervalEnd);
      return `ECS burstable instance ${instance} is limited to its baseline performance (CPU credits used up)${
        from && to ? ` from ${from} to ${to}` : ''
      }`;
    }
    case 'Instance:PerformanceModeChange': {
      const mode = get('creditSpecification');
      const by = get('operator');
      return `ECS burstable instance ${instance}: performance mode changed${mode ? ` to ${mode}` : ''}${by ? ` by ${by}` : ''}`;
    }
    case 'Instance:LiveMigrationAcrossDDH': {
      const src = get('sourceDedicatedHostId');
      const dst = get('destinationDedicatedHostId');
      const hosts = src && dst ? ` from dedicated host ${src} to ${dst}` : '';
      return `ECS instance ${instance}: live migration${hosts} ${f.status}`;
    }
    case 'Disk:Stalled':
    case 'Disk:ErrorDetected': {
      const device = get('device');
      const host = get('ecsInstanceId') ?? get('instanceId');
      const hostName = get('ecsInstanceName') ?? get('instanceName');
      const what =
        f.name === 'Disk:ErrorDetected'
          ? 'local disk error detected'
          : (DISK_STALL[get('eventType') ?? ''] ?? 'I/O performance impaired');
      const where = `${device ? ` (${device})` : ''}${host || hostName ? ` on instance ${label(hostName, host)}` : ''}`;
      const s = f.status.toLowerCase();
      const start = when(c.executeStartTime);
      const finish = when(c.executeFinishTime);
      const tail =
        s === 'executed'
          ? ` ended${finish ? ` at ${finish}` : ''}`
          : s === 'executing'
            ? start
              ? ` since ${start}`
              : ''
            : ` (${f.status})`;
      return `ECS disk ${f.resourceId || 'unknown disk'}${where}: ${what}${tail}`;
    }
    case 'Disk:DiskOperationCompleted': {
      const op = get('operation') ?? 'operation';
      const result = get('result') ?? f.status;
      const host = get('instanceId') ?? get('ecsInstanceId');
      return `ECS disk ${f.resourceId || 'unknown disk'}${host ? ` (instance ${host})` : ''}: ${op} ${result}`;
    }
    case 'Disk:ConvertToPostpaidCompleted':
      return `ECS disk ${instance}: conversion to pay-as-you-go ${get('result') ?? 'completed'}`;
    case 'Disk:OverduePaymentRelease':
      return `ECS disk ${instance} was released because of overdue payment`;
    case 'Snapshot:CreateSnapshotCompleted': {
      const snap = label(get('snapshotName'), get('snapshotId') ?? f.resourceId);
      const disk = get('diskId');
      const type = get('snapshotType');
      return `ECS snapshot ${snap}${disk ? ` of disk ${disk}` : ''}: creation ${get('result') ?? f.status}${
        type ? ` (${type} snapshot)` : ''
      }`;
    }
    default:
      return undefined;
  }
}

function genericSummary(f: SummaryFacts): string {
  const what = f.displayName ? `${f.displayName} (${f.name})` : f.name;
  const status = f.status.toLowerCase() === 'normal' ? '' : `: ${f.status}`;
  const on = f.resourceId || f.resourceName ? ` on ${label(f.resourceName, f.resourceId)}` : '';
  return `${f.product} ${what}${status}${on}`;
}

/** The Alert fields each family computes, in output key order (`time`, `summary`, `details`, `raw` follow). */
type AlertHead = Pick<Alert, 'id' | 'kind' | 'source' | 'product' | 'name' | 'status' | 'severity' | 'resourceId'>;

/**
 * Completes an alert of any family: a payload without a usable time gets the receive time (flagged as
 * `details.timeSource`), and the optional fields are set only when known.
 */
export function finishAlert(
  head: AlertHead,
  time: string | undefined,
  summary: string,
  details: DetailsBuilder,
  raw: unknown,
  optional: Pick<Alert, 'resourceArn' | 'resourceName' | 'region' | 'accountId'>,
  ctx: ParseContext,
): Alert {
  if (time === undefined) {
    time = ctx.now().toISOString();
    details.set('timeSource', 'received');
  }
  // Field by field, not `{ ...head, time, ... }`: V8 builds that spread on a slow path, and it cost 4x the
  // whole parse throughput (bench/parse.bench.ts). Key order is the output order.
  const alert: { -readonly [K in keyof Alert]: Alert[K] } = {
    id: head.id,
    kind: head.kind,
    source: head.source,
    product: head.product,
    name: head.name,
    status: head.status,
    severity: head.severity,
    resourceId: head.resourceId,
    time,
    summary,
    details: details.finish(),
    raw,
  };
  if (optional.resourceArn !== undefined) alert.resourceArn = optional.resourceArn;
  if (optional.resourceName !== undefined) alert.resourceName = optional.resourceName;
  if (optional.region !== undefined) alert.region = optional.region;
  if (optional.accountId !== undefined) alert.accountId = optional.accountId;
  return alert;
}

const CONTENT_RESOURCE_KEYS = ['instanceId', 'resourceId', 'diskId', 'snapshotId', 'ecsInstanceId'] as const;

/** Shared normalization of CloudMonitor events, API events and CloudEvents into an Alert. */
export function buildSystemAlert(p: SystemEventParts, ctx: ParseContext): Alert {
  const c: Obj = p.content ?? {};
  const { name, suffix } = splitStatusSuffix(p.rawName);
  const status =
    str(c.eventStatus) ??
    str(c.state) ??
    suffix ??
    str(c.status) ??
    str(c.result) ??
    p.topStatus ??
    'Normal';

  const ref = parseResourceRef(p.resourceRef);
  let contentRef: ResourceRef = {};
  for (const key of CONTENT_RESOURCE_KEYS) {
    const v = str(c[key]);
    if (v) {
      contentRef = parseResourceRef(v);
      break;
    }
  }
  const resourceId = ref.id ?? contentRef.id ?? '';
  const resourceArn = ref.arn ?? contentRef.arn;
  const region = p.region ?? ref.region ?? contentRef.region;
  const account = p.account ?? ref.account ?? contentRef.account;
  let resourceName = p.resourceName ?? str(c.instanceName) ?? str(c.resourceName);
  if (resourceName === undefined && ref.type === 'snapshot') resourceName = str(c.snapshotName);
  if (resourceName === resourceId) resourceName = undefined;

  const severity = systemSeverity(p.product, name, status, p.level, c);
  // Named fields rather than `{ ...p, ... }`: object spread is a slow path in V8 (see finishAlert).
  const facts: SummaryFacts = { product: p.product, displayName: p.displayName, name, status, resourceId, resourceName, content: c };
  const summary = (p.product.toUpperCase() === 'ECS' ? ecsSummary(facts) : undefined) ?? genericSummary(facts);

  const details = new DetailsBuilder();
  if (p.content) details.add('', p.content);
  if (p.contentText !== undefined) details.set('content', p.contentText);
  details.add('', p.raw, 0, p.skip, (key) => {
    const k = p.camelExtras ? key.charAt(0).toLowerCase() + key.slice(1) : key;
    return details.has(k) ? `event.${k}` : k;
  });
  if (suffix !== undefined && suffix !== status) details.set('nameStatus', suffix);
  return finishAlert(
    { id: p.id ?? payloadHash(p.raw), kind: 'system-event', source: p.source, product: p.product, name, status, severity, resourceId },
    p.time,
    summary,
    details,
    p.raw,
    { resourceArn, resourceName, region, accountId: account },
    ctx,
  );
}
