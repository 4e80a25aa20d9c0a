import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** An ECS system-event level, as CloudMonitor spells it. */
export type EventLevel = 'CRITICAL' | 'WARN' | 'INFO';

/** CloudMonitor metric alarms on the hosts (CPU, network); they call the forwarder's HTTP trigger. */
export interface AlarmsConfig {
  /**
   * Existing CloudMonitor contact groups the alarms notify besides the stack's own group (`alarmContactGroup`).
   * CloudMonitor requires at least one group per alarm, so this must not be empty with `alarmContactGroup.create: false`.
   * @default []
   */
  readonly contactGroups: readonly string[];
  /** CPU threshold in percent. @default 80 */
  readonly cpuUtilizationPercent: number;
  /** Inbound network threshold, bit/s. @default 100000000 */
  readonly networkInBitsPerSecond: number;
  /** Outbound network threshold, bit/s. @default 100000000 */
  readonly networkOutBitsPerSecond: number;
  /** Alarm level. @default 'warn' */
  readonly level: 'critical' | 'warn' | 'info';
}

/** The CloudMonitor alarm contact group the stack creates for its alarms, so no pre-existing group is needed. */
export interface AlarmContactGroupConfig {
  /** Create the group (`alicloud_cms_alarm_contact_group`) when the stack has alarms; `false` to notify only `alarms.contactGroups`. @default true */
  readonly create: boolean;
  /** Name of the created group (unique in the account; changing it replaces the group). @default - `<stackName>-alarms` */
  readonly name: string;
}

/** Which system events reach the forwarder. */
export interface EventsConfig {
  /** Product codes. @default ['ECS'] */
  readonly products: readonly string[];
  /** Event levels to forward. @default ['CRITICAL', 'WARN', 'INFO'] */
  readonly levels: readonly EventLevel[];
  /** EventBridge event types (`ecs:Instance:StateChange`); empty means every type. @default [] */
  readonly eventTypes: readonly string[];
}

/** Terraform state in OSS (with an optional Tablestore lock table), for teams. */
export interface OssBackendSettings {
  /** OSS bucket (must exist). */
  readonly bucket: string;
  /** Folder inside the bucket. @default 'ecs-pulse' */
  readonly prefix: string;
  /** State object name. @default 'terraform.tfstate' */
  readonly key: string;
  /** Bucket region. @default - the stack's region */
  readonly region?: string;
  /** Tablestore endpoint for state locking, e.g. `https://ecs-pulse.cn-hangzhou.ots.aliyuncs.com`. @default - no locking */
  readonly tablestoreEndpoint?: string;
  /** Tablestore table for state locking (primary key `LockID`, string). @default - no locking */
  readonly tablestoreTable?: string;
  /** Server-side encryption of the state object. @default true */
  readonly encrypt: boolean;
}

/**
 * The resolved configuration of the example stack: defaults, then `ecs-pulse.config.json`, then
 * environment variables, then cdktf context (`ecs-pulse synth --context key=value`).
 */
export interface StackConfig {
  /** Stack name (the folder under `cdktf.out/stacks/`). @default 'ecs-pulse' */
  readonly stackName: string;
  /** Region id. @default 'cn-hangzhou' */
  readonly region: string;
  /** CIDRs that may reach iperf3/ICMP (and SSH). @default ['10.0.0.0/16'] (the stack's own VPC only) */
  readonly allowedCidrs: readonly string[];
  /** Client hosts besides the server (0–20). @default 0 */
  readonly clients: number;
  /** Spread hosts over zones. @default false */
  readonly crossZone: boolean;
  /** Open SSH from `allowedCidrs` and write a key file (`ecs-pulse ssh`). @default false */
  readonly ssh: boolean;
  /** Hours until every host releases itself (cost cap, 1–26279). @default 6 */
  readonly autoReleaseHours: number;
  /** Instance type, e.g. `ecs.c7.large`. @default - looked up (ecs.c7, 2 vCPU, 4 GiB) */
  readonly instanceType?: string;
  /** Public bandwidth per host in Mbit/s (0 = no public IP). @default 0 */
  readonly publicBandwidthMbps: number;
  /** Function Compute generation: 3, or 2 for the original `ECSMonitoringService`/`ECSMonitoringFunction`. @default 3 */
  readonly fcVersion: 2 | 3;
  /** System events forwarded to Slack. */
  readonly events: EventsConfig;
  /** Metric alarms on the hosts, or `false` for none. FC 3.0 only (FC 2.0 has no HTTP trigger). */
  readonly alarms: AlarmsConfig | false;
  /** The alarm contact group the stack creates for its alarms. @default { create: true, name: '<stackName>-alarms' } */
  readonly alarmContactGroup: AlarmContactGroupConfig;
  /** OSS remote state. @default - local state in the stack folder */
  readonly backend?: OssBackendSettings;
  /** Tags on every resource that takes tags. @default {} */
  readonly tags: Readonly<Record<string, string>>;
}

/** Where the configuration comes from; every field optional. */
export interface ConfigSources {
  /** Folder the config file is looked up in. @default process.cwd() */
  readonly cwd?: string;
  /** Environment. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** cdktf context values (strings from `--context`, or typed values). @default {} */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Config file: absolute or relative to `cwd`. `false` reads no file. @default - `ECS_PULSE_CONFIG_FILE`, else `ecs-pulse.config.json` when present */
  readonly file?: string | false;
}

/** The configuration is invalid; `issues` lists every problem as `path: message`. */
export class StackConfigError extends Error {
  /** Stable code. */
  readonly code = 'INVALID_CONFIG';
  /** Every problem found, `path: message`. */
  readonly issues: readonly string[];
  constructor(issues: readonly string[], where: string) {
    super(`Invalid ecs-pulse configuration (${where}):\n${issues.map((i) => `  - ${i}`).join('\n')}\nFix these values; see examples/stress-test-environment/README.md#configuration.`);
    this.name = 'StackConfigError';
    this.issues = issues;
  }
}

/** The default config file name, looked up in the app folder. */
export const CONFIG_FILE = 'ecs-pulse.config.json';

const DEFAULTS: StackConfig = {
  stackName: 'ecs-pulse',
  region: 'cn-hangzhou',
  allowedCidrs: ['10.0.0.0/16'],
  clients: 0,
  crossZone: false,
  ssh: false,
  autoReleaseHours: 6,
  publicBandwidthMbps: 0,
  fcVersion: 3,
  events: { products: ['ECS'], levels: ['CRITICAL', 'WARN', 'INFO'], eventTypes: [] },
  alarms: {
    contactGroups: [],
    cpuUtilizationPercent: 80,
    networkInBitsPerSecond: 100_000_000,
    networkOutBitsPerSecond: 100_000_000,
    level: 'warn',
  },
  alarmContactGroup: { create: true, name: 'ecs-pulse-alarms' },
  tags: {},
};

const TOP_KEYS = [
  '$schema', 'stackName', 'region', 'allowedCidrs', 'clients', 'crossZone', 'ssh', 'autoReleaseHours', 'instanceType',
  'publicBandwidthMbps', 'fcVersion', 'events', 'alarms', 'alarmContactGroup', 'backend', 'tags',
] as const;
const EVENT_KEYS = ['products', 'levels', 'eventTypes'] as const;
const ALARM_KEYS = ['contactGroups', 'cpuUtilizationPercent', 'networkInBitsPerSecond', 'networkOutBitsPerSecond', 'level'] as const;
const CONTACT_GROUP_KEYS = ['create', 'name'] as const;
const BACKEND_KEYS = ['type', 'bucket', 'prefix', 'key', 'region', 'tablestoreEndpoint', 'tablestoreTable', 'encrypt'] as const;
const LEVELS: readonly EventLevel[] = ['CRITICAL', 'WARN', 'INFO'];

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Environment variables → raw config values. */
const ENV_KEYS: Readonly<Record<string, string>> = {
  ECS_PULSE_STACK_NAME: 'stackName',
  ECS_PULSE_REGION: 'region',
  ECS_PULSE_ALLOWED_CIDRS: 'allowedCidrs',
  ECS_PULSE_CLIENTS: 'clients',
  ECS_PULSE_CROSS_ZONE: 'crossZone',
  ECS_PULSE_SSH: 'ssh',
  ECS_PULSE_AUTO_RELEASE_HOURS: 'autoReleaseHours',
  ECS_PULSE_INSTANCE_TYPE: 'instanceType',
  ECS_PULSE_PUBLIC_BANDWIDTH_MBPS: 'publicBandwidthMbps',
  ECS_PULSE_FC_VERSION: 'fcVersion',
};

/** Context keys accepted on the command line (`--context fcVersion=2`). */
const CONTEXT_KEYS = ['stackName', 'region', 'allowedCidrs', 'clients', 'crossZone', 'ssh', 'autoReleaseHours', 'instanceType', 'publicBandwidthMbps', 'fcVersion'] as const;

/** Turns an env/context string into the JSON type a key expects (lists comma-separated, numbers, booleans). */
function coerce(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (key === 'allowedCidrs') return text === '' ? [] : text.split(',').map((s) => s.trim()).filter(Boolean);
  if (['clients', 'autoReleaseHours', 'publicBandwidthMbps', 'fcVersion'].includes(key)) return text === '' ? text : Number(text);
  if (key === 'crossZone' || key === 'ssh') {
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    return text;
  }
  return text;
}

function readFile(file: string): { raw: Raw; issues: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { raw: {}, issues: [`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed)) return { raw: {}, issues: [`${file}: must hold a JSON object`] };
    return { raw: parsed, issues: [] };
  } catch (error) {
    return { raw: {}, issues: [`${file}: is not valid JSON (${(error as Error).message})`] };
  }
}

const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CIDR6 = /^[0-9a-f:]+\/\d{1,3}$/i;

function validCidr(value: string): boolean {
  const m = CIDR4.exec(value);
  if (m) return m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
  return CIDR6.test(value) && value.includes(':') && Number(value.split('/')[1]) <= 128;
}

function unknownKeys(value: Raw, allowed: readonly string[], where: string, issues: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) issues.push(`${where}${key}: unknown key (allowed: ${allowed.filter((k) => k !== '$schema').join(', ')})`);
  }
}

function strings(value: unknown, where: string, issues: string[], { nonEmpty = true } = {}): string[] | undefined {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    issues.push(`${where}: must be an array of non-empty strings`);
    return undefined;
  }
  if (nonEmpty && value.length === 0) {
    issues.push(`${where}: must not be empty`);
    return undefined;
  }
  return value as string[];
}

function integer(value: unknown, where: string, min: number, max: number, issues: string[]): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push(`${where}: must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return value;
}

function bool(value: unknown, where: string, issues: string[]): boolean | undefined {
  if (typeof value !== 'boolean') {
    issues.push(`${where}: must be true or false (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return value;
}

function str(value: unknown, where: string, issues: string[], pattern?: RegExp, hint?: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) {
    issues.push(`${where}: must be ${hint ?? 'a non-empty string'} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return value;
}

/**
 * Validates a raw configuration object (the JSON file's shape, every key optional) and merges it over
 * the defaults. Collects every problem before throwing.
 *
 * @throws StackConfigError (`INVALID_CONFIG`) listing `path: message` for each problem.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ region: 'cn-shanghai', clients: 1, allowedCidrs: ['203.0.113.7/32'] });
 * ```
 */
export function resolveConfig(raw: Readonly<Record<string, unknown>>, where = 'configuration', preIssues: readonly string[] = []): StackConfig {
  const issues = [...preIssues];
  unknownKeys(raw, TOP_KEYS, '', issues);
  const out: { -readonly [K in keyof StackConfig]: StackConfig[K] } = { ...DEFAULTS };

  if (raw.stackName !== undefined) out.stackName = str(raw.stackName, 'stackName', issues, /^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" or "-", starting with a letter') ?? out.stackName;
  if (raw.region !== undefined) out.region = str(raw.region, 'region', issues, /^[a-z]{2,}(-[a-z0-9]+)+$/, 'a region id like cn-hangzhou') ?? out.region;
  if (raw.allowedCidrs !== undefined) {
    const list = strings(raw.allowedCidrs, 'allowedCidrs', issues);
    list?.forEach((c, i) => {
      if (!validCidr(c.trim())) issues.push(`allowedCidrs[${i}]: "${c}" is not a CIDR (write 203.0.113.7/32 for one address)`);
    });
    if (list) out.allowedCidrs = list.map((c) => c.trim());
  }
  if (raw.clients !== undefined) out.clients = integer(raw.clients, 'clients', 0, 20, issues) ?? out.clients;
  if (raw.crossZone !== undefined) out.crossZone = bool(raw.crossZone, 'crossZone', issues) ?? out.crossZone;
  if (raw.ssh !== undefined) out.ssh = bool(raw.ssh, 'ssh', issues) ?? out.ssh;
  if (raw.autoReleaseHours !== undefined) out.autoReleaseHours = integer(raw.autoReleaseHours, 'autoReleaseHours', 1, 26279, issues) ?? out.autoReleaseHours;
  if (raw.instanceType !== undefined) {
    const t = str(raw.instanceType, 'instanceType', issues, /^ecs\.[a-z0-9-]+\.[a-z0-9]+$/, 'an instance type like ecs.c7.large');
    if (t !== undefined) out.instanceType = t;
  }
  if (raw.publicBandwidthMbps !== undefined) out.publicBandwidthMbps = integer(raw.publicBandwidthMbps, 'publicBandwidthMbps', 0, 100, issues) ?? out.publicBandwidthMbps;
  if (raw.fcVersion !== undefined) {
    if (raw.fcVersion === 2 || raw.fcVersion === 3) out.fcVersion = raw.fcVersion;
    else issues.push(`fcVersion: must be 3 (Function Compute 3.0) or 2 (the original FC 2.0 service) (got ${JSON.stringify(raw.fcVersion)})`);
  }
  if (out.crossZone && out.clients === 0) issues.push('crossZone: needs clients >= 1 (one host cannot span zones)');

  if (raw.events !== undefined) {
    if (!isRecord(raw.events)) issues.push('events: must be an object like {"products": ["ECS"], "levels": ["CRITICAL", "WARN"]}');
    else {
      const e = raw.events;
      unknownKeys(e, EVENT_KEYS, 'events.', issues);
      const products = e.products === undefined ? DEFAULTS.events.products : strings(e.products, 'events.products', issues);
      let levels: readonly EventLevel[] | undefined = DEFAULTS.events.levels;
      if (e.levels !== undefined) {
        const list = strings(e.levels, 'events.levels', issues);
        list?.forEach((l, i) => {
          if (!LEVELS.includes(l as EventLevel)) issues.push(`events.levels[${i}]: must be one of ${LEVELS.join(', ')} (got "${l}")`);
        });
        levels = list as EventLevel[] | undefined;
      }
      const eventTypes = e.eventTypes === undefined ? [] : strings(e.eventTypes, 'events.eventTypes', issues, { nonEmpty: false });
      eventTypes?.forEach((t, i) => {
        if (!/^[a-z0-9]+:[A-Za-z0-9]+:[A-Za-z0-9.:]+$/.test(t)) issues.push(`events.eventTypes[${i}]: must look like ecs:Instance:StateChange (got "${t}")`);
      });
      out.events = { products: products ?? DEFAULTS.events.products, levels: levels ?? DEFAULTS.events.levels, eventTypes: eventTypes ?? [] };
    }
  }

  if (raw.alarms !== undefined) {
    if (raw.alarms === false) out.alarms = false;
    else if (!isRecord(raw.alarms)) issues.push('alarms: must be false or an object like {"contactGroups": ["ops"]}');
    else {
      const a = raw.alarms;
      unknownKeys(a, ALARM_KEYS, 'alarms.', issues);
      const base = DEFAULTS.alarms as AlarmsConfig;
      const level = a.level === undefined ? base.level : a.level;
      if (level !== 'critical' && level !== 'warn' && level !== 'info') issues.push(`alarms.level: must be critical, warn or info (got ${JSON.stringify(level)})`);
      out.alarms = {
        contactGroups: (a.contactGroups === undefined ? base.contactGroups : strings(a.contactGroups, 'alarms.contactGroups', issues, { nonEmpty: false })) ?? base.contactGroups,
        cpuUtilizationPercent: (a.cpuUtilizationPercent === undefined ? base.cpuUtilizationPercent : integer(a.cpuUtilizationPercent, 'alarms.cpuUtilizationPercent', 1, 100, issues)) ?? base.cpuUtilizationPercent,
        networkInBitsPerSecond: (a.networkInBitsPerSecond === undefined ? base.networkInBitsPerSecond : integer(a.networkInBitsPerSecond, 'alarms.networkInBitsPerSecond', 1, 1e12, issues)) ?? base.networkInBitsPerSecond,
        networkOutBitsPerSecond: (a.networkOutBitsPerSecond === undefined ? base.networkOutBitsPerSecond : integer(a.networkOutBitsPerSecond, 'alarms.networkOutBitsPerSecond', 1, 1e12, issues)) ?? base.networkOutBitsPerSecond,
        level: level as AlarmsConfig['level'],
      };
    }
  }

  let groupName = `${out.stackName}-alarms`;
  let createGroup = true;
  if (raw.alarmContactGroup !== undefined) {
    const g = raw.alarmContactGroup;
    if (!isRecord(g)) issues.push('alarmContactGroup: must be an object like {"create": true, "name": "ops-alarms"}');
    else {
      unknownKeys(g, CONTACT_GROUP_KEYS, 'alarmContactGroup.', issues);
      if (g.create !== undefined) createGroup = bool(g.create, 'alarmContactGroup.create', issues) ?? createGroup;
      if (g.name !== undefined) groupName = str(g.name, 'alarmContactGroup.name', issues, /^[^,\s](?:[^,]{0,98}[^,\s])?$/, 'a contact group name of up to 100 characters without commas') ?? groupName;
    }
  }
  out.alarmContactGroup = { create: createGroup, name: groupName };
  if (out.alarms !== false && !createGroup && out.alarms.contactGroups.length === 0) {
    issues.push('alarms.contactGroups: must name at least one existing contact group when alarmContactGroup.create is false (every CloudMonitor alarm needs one)');
  }

  if (raw.backend !== undefined) {
    const b = raw.backend;
    if (!isRecord(b)) issues.push('backend: must be an object like {"type": "oss", "bucket": "my-state-bucket"}');
    else {
      unknownKeys(b, BACKEND_KEYS, 'backend.', issues);
      if (b.type !== undefined && b.type !== 'oss') issues.push(`backend.type: only "oss" is supported (got ${JSON.stringify(b.type)})`);
      const bucket = str(b.bucket, 'backend.bucket', issues, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'an OSS bucket name (3–63 lower-case letters, digits, "-")');
      const hasEndpoint = b.tablestoreEndpoint !== undefined;
      const hasTable = b.tablestoreTable !== undefined;
      if (hasEndpoint !== hasTable) issues.push('backend: tablestoreEndpoint and tablestoreTable go together (state locking needs both)');
      const endpoint = hasEndpoint ? str(b.tablestoreEndpoint, 'backend.tablestoreEndpoint', issues, /^https:\/\/\S+$/, 'an https:// Tablestore endpoint') : undefined;
      const table = hasTable ? str(b.tablestoreTable, 'backend.tablestoreTable', issues) : undefined;
      const region = b.region === undefined ? undefined : str(b.region, 'backend.region', issues, /^[a-z]{2,}(-[a-z0-9]+)+$/, 'a region id like cn-hangzhou');
      const encrypt = b.encrypt === undefined ? true : bool(b.encrypt, 'backend.encrypt', issues);
      if (bucket !== undefined) {
        out.backend = {
          bucket,
          prefix: b.prefix === undefined ? 'ecs-pulse' : (str(b.prefix, 'backend.prefix', issues) ?? 'ecs-pulse'),
          key: b.key === undefined ? 'terraform.tfstate' : (str(b.key, 'backend.key', issues) ?? 'terraform.tfstate'),
          encrypt: encrypt ?? true,
          ...(region !== undefined && { region }),
          ...(endpoint !== undefined && { tablestoreEndpoint: endpoint }),
          ...(table !== undefined && { tablestoreTable: table }),
        };
      }
    }
  }

  if (raw.tags !== undefined) {
    if (!isRecord(raw.tags) || Object.values(raw.tags).some((v) => typeof v !== 'string')) issues.push('tags: must be an object of string values');
    else out.tags = raw.tags as Record<string, string>;
  }

  if (issues.length > 0) throw new StackConfigError(issues, where);
  return out;
}

/**
 * Loads the stack configuration: defaults, then the config file (`ECS_PULSE_CONFIG_FILE`, else
 * `ecs-pulse.config.json` in `cwd` when it exists), then `ECS_PULSE_*` environment variables, then cdktf
 * context values. Every problem is reported at once.
 *
 * @throws StackConfigError (`INVALID_CONFIG`) with `issues` as `path: message`.
 *
 * @example
 * ```ts
 * const app = new App();
 * const config = loadStackConfig({ context: app.node.getAllContext() });
 * new StressTestStack(app, config.stackName, config);
 * ```
 */
export function loadStackConfig(sources: ConfigSources = {}): StackConfig {
  const cwd = sources.cwd ?? process.cwd();
  const env = sources.env ?? process.env;
  const context = sources.context ?? {};
  const issues: string[] = [];
  const where: string[] = ['defaults'];
  let raw: Raw = {};

  const named = sources.file === false ? undefined : (sources.file ?? (env.ECS_PULSE_CONFIG_FILE || undefined));
  const file = named !== undefined ? path.resolve(cwd, named) : existsSync(path.join(cwd, CONFIG_FILE)) && sources.file !== false ? path.join(cwd, CONFIG_FILE) : undefined;
  if (file !== undefined) {
    const read = readFile(file);
    raw = read.raw;
    issues.push(...read.issues);
    where.push(file);
  }

  const fromEnv: Raw = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = coerce(key, value);
  }
  if (Object.keys(fromEnv).length > 0) where.push('environment');

  const fromContext: Raw = {};
  for (const key of CONTEXT_KEYS) {
    if (context[key] !== undefined) fromContext[key] = coerce(key, context[key]);
  }
  if (Object.keys(fromContext).length > 0) where.push('context');

  return resolveConfig({ ...raw, ...fromEnv, ...fromContext }, where.join(' + '), issues);
}
