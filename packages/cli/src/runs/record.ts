// The stored unit of a test run: `result.json` in `<results>/<run-id>/`, beside the raw tool outputs.
// The TypeScript types here and RUN_RECORD_JSON_SCHEMA describe the same document; a test checks that
// every fixture run and every record the CLI writes validates against the schema.

/**
 * Version of the `result.json` document this package writes. A reader refuses newer versions.
 *
 * @example
 * ```ts
 * import { RUN_SCHEMA_VERSION } from '@ecs-pulse/cli';
 * console.log(RUN_SCHEMA_VERSION); // 1
 * ```
 */
export const RUN_SCHEMA_VERSION = 1;

/**
 * One host of a run.
 *
 * @example
 * ```ts
 * import type { RunHost } from '@ecs-pulse/cli';
 * const h: RunHost = { role: 'server', instanceId: 'i-server', instanceType: 'ecs.g7.large' };
 * ```
 */
export interface RunHost {
  /** `server` and `client` for network runs; `host` for stress runs. */
  readonly role: 'server' | 'client' | 'host';
  readonly instanceId: string;
  /** @default - unknown */
  readonly instanceType?: string;
  /** @default - unknown */
  readonly zone?: string;
  /** @default - unknown */
  readonly privateIp?: string;
  /** vCPUs of the instance type (DescribeInstanceTypes). @default - unknown */
  readonly vcpus?: number;
  /** Memory of the instance type in MiB. @default - unknown */
  readonly memoryMiB?: number;
}

/**
 * What the instance type promises (DescribeInstanceTypes), in bits per second and packets per second.
 *
 * @example
 * ```ts
 * import type { AdvertisedNetwork } from '@ecs-pulse/cli';
 * const a: AdvertisedNetwork = { bandwidthRxBitsPerSecond: 4e9, bandwidthTxBitsPerSecond: 4e9 };
 * ```
 */
export interface AdvertisedNetwork {
  readonly bandwidthRxBitsPerSecond?: number;
  readonly bandwidthTxBitsPerSecond?: number;
  readonly ppsRx?: number;
  readonly ppsTx?: number;
}

/**
 * The figures of a network run, as `ecs-pulse net run --json` prints them (fields of tests not run
 * are absent).
 *
 * @example
 * ```ts
 * import type { NetFigures } from '@ecs-pulse/cli';
 * const f: NetFigures = { bandwidth: { mode: 'concurrent', results: [], aggregate: {} }, warnings: [] };
 * ```
 */
export interface NetFigures {
  /** @default - no bandwidth test */
  readonly bandwidth?: {
    readonly mode: 'concurrent' | 'serial';
    readonly results: ReadonlyArray<{
      readonly client: string;
      readonly direction: 'up' | 'down';
      readonly bitsPerSecond: number;
      readonly retransmits?: number;
    }>;
    readonly aggregate: {
      /** Concurrent: the sum of the clients over their common interval window. Serial: the mean of the clients. */
      readonly up?: { readonly bitsPerSecond: number; readonly percentOfAdvertised?: number };
      readonly down?: { readonly bitsPerSecond: number; readonly percentOfAdvertised?: number };
    };
  };
  /** @default - no pps test */
  readonly pps?: {
    readonly results: ReadonlyArray<{ readonly client: string; readonly sentPps: number }>;
    /** Packets per second the server's interface received during the test window (serial: the best client's window). @default - not measured */
    readonly serverRxPps?: number;
    /** UDP loss the iperf3 servers counted, over all clients, 0–100. @default - not counted */
    readonly lossPercent?: number;
    readonly percentOfAdvertised?: number;
  };
  /** @default - no latency test */
  readonly latency?: ReadonlyArray<{
    readonly client: string;
    readonly protocol: 'udp' | 'tcp';
    readonly minUs: number;
    readonly p50Us: number;
    readonly p90Us: number;
    readonly p99Us: number;
    readonly p999Us: number;
    readonly maxUs: number;
    readonly observations: number;
  }>;
  /** The server's CPU utilisation during each test, in %. @default - not measured */
  readonly serverCpuPercent?: { readonly bandwidth?: number; readonly pps?: number; readonly latency?: number };
  /** What the server's instance type promises. @default - unknown */
  readonly advertised?: AdvertisedNetwork;
  readonly warnings: readonly string[];
}

/**
 * The figures of a stress run: per host and stressor, bogo-ops and bogo-ops per vCPU.
 *
 * @example
 * ```ts
 * import type { StressFigures } from '@ecs-pulse/cli';
 * const f: StressFigures = { hosts: [{ instanceId: 'i-1', vcpus: 2, stressors: [{ stressor: 'cpu', bogoOps: 3684, bogoOpsPerSecond: 1226.8, bogoOpsPerSecondPerVcpu: 613.4 }] }] };
 * ```
 */
export interface StressFigures {
  readonly hosts: ReadonlyArray<{
    readonly instanceId: string;
    /** @default - unknown */
    readonly vcpus?: number;
    readonly stressors: ReadonlyArray<{
      readonly stressor: string;
      readonly bogoOps: number;
      /** Bogo-ops per second of real time. */
      readonly bogoOpsPerSecond: number;
      /** Bogo-ops per second per vCPU of the instance type. @default - vCPUs unknown */
      readonly bogoOpsPerSecondPerVcpu?: number;
    }>;
    /** Host CPU utilisation sampled during the run, in %. @default - not sampled */
    readonly cpuPercent?: { readonly average: number; readonly max: number };
    /** Host memory in use sampled during the run, in %. @default - not sampled */
    readonly memoryPercent?: { readonly average: number; readonly max: number };
  }>;
}

/**
 * A time series: `[seconds since the run's start, value]` pairs.
 *
 * @example
 * ```ts
 * import type { SeriesPoints } from '@ecs-pulse/cli';
 * const p: SeriesPoints = [[0, 9.4e8], [1, 9.41e8]];
 * ```
 */
export type SeriesPoints = ReadonlyArray<readonly [number, number]>;

/**
 * Time series kept for the report: iperf3 intervals, host CPU, CloudMonitor's own series and the
 * latency distribution when the tool gave one.
 *
 * @example
 * ```ts
 * import type { RunSeries } from '@ecs-pulse/cli';
 * const s: RunSeries = { bandwidth: [{ client: 'i-c1', direction: 'up', points: [[1, 9.4e8]] }] };
 * ```
 */
export interface RunSeries {
  /** iperf3 intervals per client and direction, bits per second at each interval's end. @default - none */
  readonly bandwidth?: ReadonlyArray<{ readonly client: string; readonly direction: 'up' | 'down'; readonly points: SeriesPoints }>;
  /** Host CPU utilisation (%) during each test. @default - none */
  readonly cpu?: ReadonlyArray<{ readonly instanceId: string; readonly test: string; readonly points: SeriesPoints }>;
  /** CloudMonitor series of the run window (`--metrics`). @default - none */
  readonly cloudMonitor?: ReadonlyArray<{ readonly instanceId: string; readonly metric: string; readonly unit: string; readonly points: SeriesPoints }>;
  /** Latency distribution per client: `[upper bound µs, observations]` buckets. @default - none */
  readonly latencyHistogram?: ReadonlyArray<{ readonly client: string; readonly points: SeriesPoints }>;
}

/**
 * The stored document of one run (`result.json`, {@link RUN_SCHEMA_VERSION}).
 *
 * @example
 * ```ts
 * import type { RunRecord } from '@ecs-pulse/cli';
 * const kinds = (runs: RunRecord[]) => runs.map((r) => `${r.id} ${r.kind} ${r.region}`);
 * ```
 */
export interface RunRecord {
  readonly schemaVersion: typeof RUN_SCHEMA_VERSION;
  /** The run id, also the folder name, e.g. `net-20261204T101500Z`. */
  readonly id: string;
  readonly kind: 'net' | 'stress';
  /** The cdktf stack the hosts belong to. @default - hosts given by id */
  readonly stack?: string;
  readonly region: string;
  /** ISO 8601 UTC. */
  readonly startedAt: string;
  /** ISO 8601 UTC. */
  readonly endedAt: string;
  readonly hosts: readonly RunHost[];
  /** Tool versions as the hosts reported them, e.g. `{ iperf3: '3.12' }`. */
  readonly tools: Readonly<Record<string, string>>;
  /** The options the run was started with. */
  readonly options: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** @default - not a network run */
  readonly net?: NetFigures;
  /** @default - not a stress run */
  readonly stress?: StressFigures;
  /** @default - no series */
  readonly series?: RunSeries;
  /** Raw tool outputs kept beside `result.json`, as file names in the run folder. */
  readonly raw: readonly string[];
}

const num = { type: 'number' } as const;
const str = { type: 'string' } as const;
const points = { type: 'array', items: { type: 'array', items: num, minItems: 2, maxItems: 2 } } as const;
const avgMax = { type: 'object', required: ['average', 'max'], additionalProperties: false, properties: { average: num, max: num } } as const;
const aggregate = {
  type: 'object',
  required: ['bitsPerSecond'],
  additionalProperties: false,
  properties: { bitsPerSecond: num, percentOfAdvertised: num },
} as const;
const obj = (required: readonly string[], properties: Record<string, unknown>) =>
  ({ type: 'object', required, additionalProperties: false, properties }) as const;

/**
 * JSON Schema (draft 2020-12) of {@link RunRecord}: for tools that read `result.json` without TypeScript.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { RUN_RECORD_JSON_SCHEMA } from '@ecs-pulse/cli';
 * writeFileSync('run.schema.json', JSON.stringify(RUN_RECORD_JSON_SCHEMA, null, 2));
 * ```
 */
export const RUN_RECORD_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ecs-pulse.dev/schemas/run-record-v1.json',
  title: 'ecs-pulse run record',
  ...obj(['schemaVersion', 'id', 'kind', 'region', 'startedAt', 'endedAt', 'hosts', 'tools', 'options', 'raw'], {
    schemaVersion: { const: RUN_SCHEMA_VERSION },
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    kind: { enum: ['net', 'stress'] },
    stack: str,
    region: str,
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    hosts: {
      type: 'array',
      items: obj(['role', 'instanceId'], {
        role: { enum: ['server', 'client', 'host'] },
        instanceId: str,
        instanceType: str,
        zone: str,
        privateIp: str,
        vcpus: num,
        memoryMiB: num,
      }),
    },
    tools: { type: 'object', additionalProperties: str },
    options: {
      type: 'object',
      additionalProperties: { anyOf: [str, num, { type: 'boolean' }, { type: 'array', items: str }] },
    },
    net: obj(['warnings'], {
      bandwidth: obj(['mode', 'results', 'aggregate'], {
        mode: { enum: ['concurrent', 'serial'] },
        results: {
          type: 'array',
          items: obj(['client', 'direction', 'bitsPerSecond'], {
            client: str,
            direction: { enum: ['up', 'down'] },
            bitsPerSecond: num,
            retransmits: num,
          }),
        },
        aggregate: obj([], { up: aggregate, down: aggregate }),
      }),
      pps: obj(['results'], {
        results: { type: 'array', items: obj(['client', 'sentPps'], { client: str, sentPps: num }) },
        serverRxPps: num,
        lossPercent: num,
        percentOfAdvertised: num,
      }),
      latency: {
        type: 'array',
        items: obj(['client', 'protocol', 'minUs', 'p50Us', 'p90Us', 'p99Us', 'p999Us', 'maxUs', 'observations'], {
          client: str,
          protocol: { enum: ['udp', 'tcp'] },
          minUs: num,
          p50Us: num,
          p90Us: num,
          p99Us: num,
          p999Us: num,
          maxUs: num,
          observations: num,
        }),
      },
      serverCpuPercent: obj([], { bandwidth: num, pps: num, latency: num }),
      advertised: obj([], { bandwidthRxBitsPerSecond: num, bandwidthTxBitsPerSecond: num, ppsRx: num, ppsTx: num }),
      warnings: { type: 'array', items: str },
    }),
    stress: obj(['hosts'], {
      hosts: {
        type: 'array',
        items: obj(['instanceId', 'stressors'], {
          instanceId: str,
          vcpus: num,
          stressors: {
            type: 'array',
            items: obj(['stressor', 'bogoOps', 'bogoOpsPerSecond'], {
              stressor: str,
              bogoOps: num,
              bogoOpsPerSecond: num,
              bogoOpsPerSecondPerVcpu: num,
            }),
          },
          cpuPercent: avgMax,
          memoryPercent: avgMax,
        }),
      },
    }),
    series: obj([], {
      bandwidth: { type: 'array', items: obj(['client', 'direction', 'points'], { client: str, direction: { enum: ['up', 'down'] }, points }) },
      cpu: { type: 'array', items: obj(['instanceId', 'test', 'points'], { instanceId: str, test: str, points }) },
      cloudMonitor: {
        type: 'array',
        items: obj(['instanceId', 'metric', 'unit', 'points'], { instanceId: str, metric: str, unit: str, points }),
      },
      latencyHistogram: { type: 'array', items: obj(['client', 'points'], { client: str, points }) },
    }),
    raw: { type: 'array', items: str },
  }),
} as const;
