import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostRates, Iperf3Result, SockperfResult } from '@ecs-pulse/stress-host/parsers';
import { runRemote, type RemoteResult } from '../cloud/cloud-assistant.js';
import { describeHostTypes, type InstanceTypeInfo } from '../cloud/instance-types.js';
import type { MetricsReport } from '../cloud/metrics.js';
import { CliError } from '../errors.js';
import { bps, fixed, table } from '../format.js';
import { resolveTargets, type HostOptions, type Targets } from '../hosts.js';
import { resolveIo, type CommonOptions, type Io } from '../io.js';
import { M } from '../messages.js';
import { commonWindowRates, percentOf, type TimedResult } from '../net-aggregate.js';
import { netClientScript, netServerPrepareScript, netServerSampleScript, type ClientStep, type ServerWindow } from '../net-scripts.js';
import { readFrames, type Frame } from '../remote-scripts.js';
import { slackUrl } from '../slack.js';
import { printMetrics, reportRun, runId, runMetrics } from '../run-report.js';
import { netRunRecord } from '../runs/build.js';
import type { AdvertisedNetwork, NetFigures } from '../runs/record.js';
import { createRunFolder, resultsDir } from '../runs/store.js';

/** The three network tests. @internal */
export const NET_TESTS = ['bandwidth', 'pps', 'latency'] as const;

/**
 * Options of {@link netRun}.
 *
 * @example
 * ```ts
 * import type { NetRunOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface NetRunOptions extends CommonOptions, HostOptions {
  /** Which tests to run, in this order. @default ['bandwidth', 'pps', 'latency'] */
  readonly tests?: ReadonlyArray<'bandwidth' | 'pps' | 'latency'>;
  /** Bandwidth and pps: every client at once (each on its own server port) or one after the other. Latency is always serial. @default 'concurrent' */
  readonly mode?: 'concurrent' | 'serial';
  /** Bandwidth: `up` = clients send, `down` = server sends (`-R`), `both` = up, then down. @default 'both' */
  readonly direction?: 'up' | 'down' | 'both';
  /** Bandwidth: parallel TCP streams per client (`-P`). @default 1 */
  readonly parallel?: number;
  /** Bandwidth over UDP instead of TCP. @default false */
  readonly udp?: boolean;
  /** Bandwidth: target bitrate (`-b`), e.g. `1G`. @default - unlimited (TCP), 1G (UDP) */
  readonly bandwidth?: string;
  /** Seconds per test (per direction, per client in serial mode). @default 10 */
  readonly duration?: number;
  /** First iperf3 server port; client i uses port + i. @default 5201 */
  readonly port?: number;
  /** sockperf server port (UDP and TCP). @default 11111 */
  readonly sockperfPort?: number;
  /** pps: UDP streams per client (64-byte payload, unlimited rate). @default 4 */
  readonly ppsStreams?: number;
  /** Latency over TCP instead of UDP. @default false */
  readonly tcp?: boolean;
  /** Also fetch CloudMonitor metrics of the hosts for the run window. @default false */
  readonly metrics?: boolean;
  /** Post a summary to this Slack webhook (`true`: ECS_PULSE_SLACK_WEBHOOK_URL). @default - no post */
  readonly slack?: string | boolean;
  /** The run store: each run is kept in `<results>/<run-id>/` (`result.json` and the raw outputs). @default - ECS_PULSE_RESULTS, else 'ecs-pulse-results' */
  readonly results?: string;
  /** The older name of `results`. @default - see results */
  readonly out?: string;
}

/**
 * A host in the report.
 *
 * @example
 * ```ts
 * import type { NetHost } from '@ecs-pulse/cli';
 * ```
 */
export interface NetHost {
  readonly instanceId: string;
  readonly instanceType?: string;
  readonly privateIp?: string;
}

/**
 * What the server's instance type promises (`DescribeInstanceTypes`); fields are absent when unknown.
 * The run record's {@link AdvertisedNetwork}.
 *
 * @example
 * ```ts
 * import type { NetAdvertised } from '@ecs-pulse/cli';
 * ```
 */
export type NetAdvertised = AdvertisedNetwork;

/**
 * One direction's aggregate (concurrent: the sum of the clients over their common interval window;
 * serial: the mean of the clients, each alone).
 *
 * @example
 * ```ts
 * import type { NetAggregate } from '@ecs-pulse/cli';
 * ```
 */
export type NetAggregate = NonNullable<NonNullable<NetFigures['bandwidth']>['aggregate']['up']>;

/**
 * The document `net run --json` prints (fields of tests that did not run are absent). Its figures are
 * the run record's {@link NetFigures}, which owns their shape.
 *
 * @example
 * ```ts
 * import type { NetReport } from '@ecs-pulse/cli';
 * ```
 */
export interface NetReport extends Pick<NetFigures, 'bandwidth' | 'pps' | 'latency' | 'warnings'> {
  readonly run: string;
  readonly region: string;
  readonly server: NetHost & { readonly advertised: NetAdvertised };
  readonly clients: readonly NetHost[];
  /** The server's CPU use during each test (the busiest window), 0–100. */
  readonly serverCpuPercent: NonNullable<NetFigures['serverCpuPercent']>;
  /** CloudMonitor metrics, with `--metrics` only. */
  readonly metrics?: MetricsReport;
}

/**
 * Result of {@link netRun}: the report and where the raw outputs are.
 *
 * @example
 * ```ts
 * import type { NetRunResult } from '@ecs-pulse/cli';
 * ```
 */
export interface NetRunResult {
  readonly report: NetReport;
  readonly rawDir: string;
  /** Tests that failed (also in `report.warnings`). */
  readonly failures: readonly string[];
}

const BANDWIDTH = /^\d+(?:\.\d+)?[KMG]?$/i;
const GAP_MS = 2000; // between iperf3 slots: end-of-test exchange, server ready again
const LATENCY_GAP_MS = 3500; // sockperf exits 2-3 s after -t (measured with sockperf 3.7)
const CPU_WARNING = 90;

/**
 * Run the network tests between the stack's hosts through Cloud Assistant (no SSH), the way Alibaba's ECS
 * method and PerfKitBenchmarker do: **bandwidth** (iperf3 TCP, one server port per client, clients
 * concurrent and started together by a barrier on the hosts, or serial; the per-direction aggregate is the
 * sum over the common interval window), **pps** (64-byte UDP at unlimited rate, several streams per client;
 * the received rate counted on the server's interface, and the loss), **latency** (sockperf ping-pong, one
 * client at a time). The server's CPU is sampled from /proc/stat during each test, and the instance type's
 * advertised bandwidth/PPS (`DescribeInstanceTypes`) are set beside what was achieved.
 *
 * @example
 * ```ts
 * const { report } = await netRun({ tests: ['bandwidth', 'latency'], parallel: 4, duration: 30 });
 * console.log(report.bandwidth?.aggregate.up?.percentOfAdvertised);
 * ```
 */
export async function netRun(options: NetRunOptions = {}): Promise<NetRunResult> {
  const io = resolveIo(options);
  const tests = options.tests ?? NET_TESTS;
  for (const t of tests) if (!(NET_TESTS as readonly string[]).includes(t)) throw new CliError('USAGE', M.badChoice('tests', t, NET_TESTS));
  if (tests.length === 0) throw new CliError('USAGE', M.badChoice('tests', '', NET_TESTS));
  const mode = options.mode ?? 'concurrent';
  if (!['concurrent', 'serial'].includes(mode)) throw new CliError('USAGE', M.badChoice('mode', mode, ['concurrent', 'serial']));
  const direction = options.direction ?? 'both';
  if (!['up', 'down', 'both'].includes(direction)) throw new CliError('USAGE', M.badChoice('direction', direction, ['up', 'down', 'both']));
  if (options.bandwidth !== undefined && !BANDWIDTH.test(options.bandwidth)) throw new CliError('USAGE', M.badBandwidth(options.bandwidth));
  const parallel = options.parallel ?? 1;
  const duration = options.duration ?? 10;
  const port = options.port ?? 5201;
  const sockperfPort = options.sockperfPort ?? 11111;
  const ppsStreams = options.ppsStreams ?? 4;
  for (const [name, v, max] of [['parallel', parallel, 128], ['duration', duration, 3600], ['port', port, 65535], ['sockperf-port', sockperfPort, 65535], ['pps-streams', ppsStreams, 128]] as const) {
    if (!Number.isInteger(v) || v <= 0 || v > max) throw new CliError('USAGE', M.badNumber(name, v));
  }
  const slack = slackUrl(options.slack, io.env);
  const targets = await resolveTargets(options, io, true);
  const serverIp = targets.server.privateIp;
  if (serverIp === undefined) throw new CliError('USAGE', M.instanceNotFound(targets.server.instanceId, targets.region));
  if (port + targets.clients.length - 1 > 65535) throw new CliError('USAGE', M.badNumber('port', port));
  const id = runId();
  const started = new Date();
  const warnings: string[] = [];
  const failures: string[] = [];

  const hostIds = [targets.server.instanceId, ...targets.clients.map((c) => c.instanceId)];
  const [typeInfo] = await Promise.all([
    describeHostTypes(targets.settings, hostIds, io),
    prepareServer(targets, id, port, tests.includes('latency') ? sockperfPort : undefined, io),
  ]);
  warnings.push(...typeInfo.warnings.filter((w) => w.includes(targets.server.instanceId) || !w.includes(' i-')));
  const host = (h: { instanceId: string; privateIp?: string }): NetHost => {
    const type = typeInfo.byInstance.get(h.instanceId);
    return { instanceId: h.instanceId, ...(type ? { instanceType: type } : {}), ...(h.privateIp ? { privateIp: h.privateIp } : {}) };
  };
  const serverType: InstanceTypeInfo | undefined = typeInfo.types.get(typeInfo.byInstance.get(targets.server.instanceId) ?? '');
  const advertised: NetAdvertised = {
    ...(serverType?.bandwidthRxBitsPerSecond ? { bandwidthRxBitsPerSecond: serverType.bandwidthRxBitsPerSecond } : {}),
    ...(serverType?.bandwidthTxBitsPerSecond ? { bandwidthTxBitsPerSecond: serverType.bandwidthTxBitsPerSecond } : {}),
    ...(serverType?.ppsRx ? { ppsRx: serverType.ppsRx } : {}),
    ...(serverType?.ppsTx ? { ppsTx: serverType.ppsTx } : {}),
  };

  const rawDir = createRunFolder(resultsDir(options.results ?? options.out, io.env, io.cwd), `net-${id}`);
  const parsers = await import('@ecs-pulse/stress-host/parsers');
  const ctx: PhaseContext = { targets, serverIp, id, rawDir, io, warnings, failures, parsers };
  const cpu: { bandwidth?: number; pps?: number; latency?: number } = {};
  let bandwidthPart: NetReport['bandwidth'];
  let ppsPart: NetReport['pps'];
  let latencyPart: NetReport['latency'];

  for (const test of NET_TESTS.filter((t) => tests.includes(t))) {
    if (test === 'bandwidth') {
      const dirs: Array<'up' | 'down'> = direction === 'both' ? ['up', 'down'] : [direction];
      const r = await bandwidthPhase(ctx, { mode, dirs, duration, parallel, port, udp: options.udp === true, ...(options.bandwidth ? { bitrate: options.bandwidth } : {}) }, advertised);
      bandwidthPart = r.part;
      if (r.cpu !== undefined) cpu.bandwidth = r.cpu;
    } else if (test === 'pps') {
      const r = await ppsPhase(ctx, { mode, duration, port, streams: ppsStreams }, advertised);
      ppsPart = r.part;
      if (r.cpu !== undefined) cpu.pps = r.cpu;
    } else {
      const r = await latencyPhase(ctx, { duration, sockperfPort, tcp: options.tcp === true });
      latencyPart = r.part;
      if (r.cpu !== undefined) cpu.latency = r.cpu;
    }
  }
  for (const [test, v] of Object.entries(cpu)) {
    if (v > CPU_WARNING) warnings.push(`The server's CPU was ${v.toFixed(0)} % busy during the ${test} test: the test measured the CPU, not the network. Use a larger instance type or fewer streams.`);
  }
  const ended = new Date();
  const metrics = await runMetrics(options.metrics, targets.region, hostIds, started, ended, io);
  const report: NetReport = {
    run: id,
    region: targets.region,
    server: { ...host(targets.server), advertised },
    clients: targets.clients.map(host),
    ...(bandwidthPart ? { bandwidth: bandwidthPart } : {}),
    ...(ppsPart ? { pps: ppsPart } : {}),
    ...(latencyPart ? { latency: latencyPart } : {}),
    serverCpuPercent: cpu,
    warnings,
    ...(metrics ? { metrics } : {}),
  };
  const result: NetRunResult = { report, rawDir, failures };
  const record = netRunRecord(
    {
      report,
      folder: rawDir,
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      ...(options.stack !== undefined ? { stack: options.stack } : {}),
      options: { tests: [...tests], mode, direction, parallel, duration, udp: options.udp === true, tcp: options.tcp === true, ppsStreams, ...(options.bandwidth ? { bandwidth: options.bandwidth } : {}) },
    },
    parsers,
  );
  await reportRun(result, record, rawDir, io, print, slack, () => summary(report));
  if (failures.length > 0) throw new CliError('REMOTE_COMMAND_FAILED', M.remoteFailed(failures.length, 'network test(s)'));
  return result;
}

type Parsers = typeof import('@ecs-pulse/stress-host/parsers');

interface PhaseContext {
  readonly targets: Targets;
  readonly serverIp: string;
  readonly id: string;
  readonly rawDir: string;
  readonly io: Io;
  readonly warnings: string[];
  readonly failures: string[];
  readonly parsers: Parsers;
}

async function prepareServer(targets: Targets, id: string, port: number, sockperfPort: number | undefined, io: Io): Promise<void> {
  const [srv] = await runRemote(
    {
      settings: targets.settings,
      instanceIds: [targets.server.instanceId],
      script: netServerPrepareScript({ port, count: targets.clients.length, ...(sockperfPort === undefined ? {} : { sockperfPort }) }),
      timeoutSeconds: 60,
      name: `ecs-pulse-net-server-${id}`,
      label: `test servers on ${targets.server.instanceId}`,
    },
    io,
  );
  if (!srv || srv.status !== 'Success') {
    const tool = /sockperf is not installed/.test(srv?.output ?? '') ? 'sockperf' : 'iperf3';
    const why = srv?.exitCode === 127 ? M.toolMissingRemote(tool, targets.server.instanceId) : (srv?.output.trim() || srv?.errorInfo || srv?.status || 'no result');
    throw new CliError('REMOTE_COMMAND_FAILED', `Starting the test servers failed: ${why}`);
  }
}

/** The lead between building the scripts and the first start time: covers RunCommand delivery. */
function leadMs(io: Io, hosts: number): number {
  const env = Number(io.env.ECS_PULSE_START_LEAD_MS);
  return Number.isFinite(env) && env > 0 ? env : 4000 + 250 * hosts;
}

interface PhaseOutput {
  readonly server?: RemoteResult;
  readonly clients: Map<string, RemoteResult | undefined>;
}

/** Send the server's sampling script and every client's script at once, wait for all. */
async function runPhase(ctx: PhaseContext, name: string, steps: Map<string, ClientStep[]>, windows: readonly ServerWindow[], endAt: number): Promise<PhaseOutput> {
  const timeoutSeconds = Math.ceil((endAt - Date.now()) / 1000) + 60;
  const { targets, io } = ctx;
  const clientIds = [...steps.keys()];
  const runs = await Promise.all([
    runRemote({ settings: targets.settings, instanceIds: [targets.server.instanceId], script: netServerSampleScript(ctx.serverIp, windows), timeoutSeconds, name: `ecs-pulse-net-${name}-server-${ctx.id}`, label: `${name}: sampling ${targets.server.instanceId}` }, io),
    ...clientIds.map((c) =>
      runRemote({ settings: targets.settings, instanceIds: [c], script: netClientScript(ctx.id, c, steps.get(c) ?? []), timeoutSeconds, name: `ecs-pulse-net-${name}-${ctx.id}`, label: `${name}: ${c} → ${ctx.serverIp}` }, io),
    ),
  ]);
  const server = runs[0]?.[0];
  if (server) writeFileSync(path.join(ctx.rawDir, `${name}-${targets.server.instanceId}.output.txt`), server.output);
  const clients = new Map<string, RemoteResult | undefined>();
  clientIds.forEach((c, i) => {
    const r = runs[i + 1]?.[0];
    clients.set(c, r);
    if (r) writeFileSync(path.join(ctx.rawDir, `${name}-${c}.output.txt`), r.output);
  });
  return { ...(server ? { server } : {}), clients };
}

/** The server's rates in one window, from its two snapshots. */
function windowRates(ctx: PhaseContext, out: PhaseOutput, label: string): { rates?: HostRates; rxPps?: number } {
  if (!out.server) {
    ctx.warnings.push(`No sampling result from the server for ${label}.`);
    return {};
  }
  const frames = readFrames(out.server.output);
  const a = frames.find((f) => f.label === `snap-${label}-start`);
  const b = frames.find((f) => f.label === `snap-${label}-end`);
  if (!a || !b) {
    ctx.warnings.push(`The server's counters for ${label} are missing${out.server.dropped > 0 ? ` (Cloud Assistant cut ${out.server.dropped} bytes)` : ''}; no server CPU or pps for it.`);
    return {};
  }
  try {
    const rates = ctx.parsers.hostRates(ctx.parsers.parseHostSnapshot(a.payload), ctx.parsers.parseHostSnapshot(b.payload));
    const iface = frames.find((f) => f.label === 'iface')?.payload.trim();
    const nic = rates.interfaces.find((i) => i.interface === iface) ?? rates.busiest;
    return { rates, ...(nic ? { rxPps: nic.rxPps } : {}) };
  } catch (e) {
    ctx.warnings.push(`The server's counters for ${label} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return {};
  }
}

function maxOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length === 0 ? undefined : Math.round(Math.max(...v) * 10) / 10;
}

/** A client's framed result and its real start time; failures are recorded and come back as undefined. */
function stepResult(ctx: PhaseContext, res: RemoteResult | undefined, client: string, step: ClientStep, tool: string): { frame: Frame; startedAt: number } | undefined {
  const what = `${step.label} on ${client}`;
  if (res === undefined) {
    ctx.failures.push(`${what}: no invocation result`);
    ctx.warnings.push(`${what} failed: no invocation result.`);
    return undefined;
  }
  const frames = readFrames(res.output);
  const frame = frames.find((f) => f.label === step.label);
  const t = frames.find((f) => f.label === `t-${step.label}`);
  if (!frame) {
    const error = res.dropped > 0 ? M.remoteTruncated(client, res.dropped) : res.exitCode === 127 ? M.toolMissingRemote(tool, client) : M.remoteNoOutput(tool, client);
    ctx.failures.push(`${what}: ${error}`);
    ctx.warnings.push(`${what} failed: ${error}`);
    return undefined;
  }
  const startedAt = t ? Number(t.payload.trim()) : step.startAt / 1000;
  const late = startedAt - step.startAt / 1000;
  if (late > 0.5) ctx.warnings.push(`${what} started ${late.toFixed(1)} s after its start time (Cloud Assistant delivered late); raise ECS_PULSE_START_LEAD_MS.`);
  return { frame, startedAt };
}

function parseStep<T>(ctx: PhaseContext, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    ctx.failures.push(`${what}: ${msg}`);
    ctx.warnings.push(`${what} failed: ${msg}`);
    return undefined;
  }
}

interface BandwidthPlan {
  readonly mode: 'concurrent' | 'serial';
  readonly dirs: ReadonlyArray<'up' | 'down'>;
  readonly duration: number;
  readonly parallel: number;
  readonly port: number;
  readonly udp: boolean;
  readonly bitrate?: string;
}

async function bandwidthPhase(ctx: PhaseContext, p: BandwidthPlan, adv: NetAdvertised): Promise<{ part: NonNullable<NetReport['bandwidth']>; cpu?: number }> {
  const clients = ctx.targets.clients.map((c) => c.instanceId);
  const t0 = Date.now() + leadMs(ctx.io, clients.length + 1);
  const slot = p.duration * 1000 + GAP_MS;
  const steps = new Map<string, ClientStep[]>(clients.map((c) => [c, []]));
  const windows: ServerWindow[] = [];
  let k = 0;
  for (const dir of p.dirs) {
    if (p.mode === 'concurrent') {
      const startAt = t0 + k++ * slot;
      windows.push({ label: `bw-${dir}`, startAt, endAt: startAt + p.duration * 1000 });
      clients.forEach((c, i) => steps.get(c)?.push({ label: `bw-${dir}`, startAt, tool: 'iperf3', args: iperfArgs(ctx.serverIp, p.port + i, p, dir) }));
    } else {
      clients.forEach((c, i) => {
        const startAt = t0 + k++ * slot;
        windows.push({ label: `bw-${dir}-${i}`, startAt, endAt: startAt + p.duration * 1000 });
        steps.get(c)?.push({ label: `bw-${dir}`, startAt, tool: 'iperf3', args: iperfArgs(ctx.serverIp, p.port + i, p, dir) });
      });
    }
  }
  const endAt = Math.max(...windows.map((w) => w.endAt));
  const out = await runPhase(ctx, 'bandwidth', steps, windows, endAt);
  const results: Array<{ client: string; direction: 'up' | 'down'; bitsPerSecond: number; retransmits?: number }> = [];
  const aggregate: { up?: NetAggregate; down?: NetAggregate } = {};
  for (const dir of p.dirs) {
    const timed: TimedResult[] = [];
    for (const c of clients) {
      const step = steps.get(c)?.find((s) => s.label === `bw-${dir}`);
      if (!step) continue;
      const got = stepResult(ctx, out.clients.get(c), c, step, 'iperf3');
      if (!got) continue;
      writeFileSync(path.join(ctx.rawDir, `${c}-bw-${dir}.json`), got.frame.payload);
      const result = parseStep(ctx, `bw-${dir} on ${c}`, () => ctx.parsers.parseIperf3(got.frame.payload));
      if (result) timed.push({ client: c, startedAt: got.startedAt, result });
    }
    let rates: Map<string, number>;
    if (p.mode === 'concurrent') {
      const w = commonWindowRates(timed);
      if (w.fallback) ctx.warnings.push(`bandwidth ${dir}: ${w.fallback}.`);
      rates = w.rates;
    } else {
      rates = new Map(timed.map((t) => [t.client, t.result.receivedBitsPerSecond]));
    }
    for (const t of timed) {
      results.push({ client: t.client, direction: dir, bitsPerSecond: Math.round(rates.get(t.client) ?? 0), ...(t.result.retransmits === undefined ? {} : { retransmits: t.result.retransmits }) });
    }
    if (timed.length > 0) {
      const sum = [...rates.values()].reduce((a, b) => a + b, 0);
      const value = Math.round(p.mode === 'concurrent' ? sum : sum / timed.length);
      const pct = percentOf(value, dir === 'up' ? adv.bandwidthRxBitsPerSecond : adv.bandwidthTxBitsPerSecond);
      aggregate[dir] = { bitsPerSecond: value, ...(pct === undefined ? {} : { percentOfAdvertised: pct }) };
    }
  }
  const cpu = maxOf(windows.map((w) => windowRates(ctx, out, w.label).rates?.cpuPercent));
  return { part: { mode: p.mode, results, aggregate }, ...(cpu === undefined ? {} : { cpu }) };
}

function iperfArgs(ip: string, port: number, p: BandwidthPlan, dir: 'up' | 'down'): string[] {
  return [
    '-c', ip, '-p', String(port), '-t', String(p.duration), '-P', String(p.parallel), '-J',
    ...(dir === 'down' ? ['-R'] : []),
    ...(p.udp ? ['-u', '-b', p.bitrate ?? '1G'] : p.bitrate ? ['-b', p.bitrate] : []),
  ];
}

async function ppsPhase(ctx: PhaseContext, p: { mode: 'concurrent' | 'serial'; duration: number; port: number; streams: number }, adv: NetAdvertised): Promise<{ part: NonNullable<NetReport['pps']>; cpu?: number }> {
  const clients = ctx.targets.clients.map((c) => c.instanceId);
  const t0 = Date.now() + leadMs(ctx.io, clients.length + 1);
  const slot = p.duration * 1000 + GAP_MS;
  const steps = new Map<string, ClientStep[]>();
  const windows: ServerWindow[] = [];
  clients.forEach((c, i) => {
    const startAt = p.mode === 'concurrent' ? t0 : t0 + i * slot;
    if (p.mode === 'serial' || i === 0) windows.push({ label: p.mode === 'concurrent' ? 'pps' : `pps-${i}`, startAt, endAt: startAt + p.duration * 1000 });
    steps.set(c, [{ label: 'pps', startAt, tool: 'iperf3', args: ['-c', ctx.serverIp, '-p', String(p.port + i), '-u', '-b', '0', '-l', '64', '-P', String(p.streams), '-t', String(p.duration), '-J'] }]);
  });
  const endAt = Math.max(...windows.map((w) => w.endAt));
  const out = await runPhase(ctx, 'pps', steps, windows, endAt);
  const results: Array<{ client: string; sentPps: number }> = [];
  let lost = 0;
  let packets = 0;
  for (const c of clients) {
    const step = steps.get(c)?.[0];
    if (!step) continue;
    const got = stepResult(ctx, out.clients.get(c), c, step, 'iperf3');
    if (!got) continue;
    writeFileSync(path.join(ctx.rawDir, `${c}-pps.json`), got.frame.payload);
    const r: Iperf3Result | undefined = parseStep(ctx, `pps on ${c}`, () => ctx.parsers.parseIperf3(got.frame.payload));
    if (!r || r.packets === undefined || !(r.durationSeconds > 0)) continue;
    results.push({ client: c, sentPps: Math.round(r.packets / r.durationSeconds) });
    packets += r.packets;
    lost += r.lostPackets ?? 0;
  }
  const server = windows.map((w) => windowRates(ctx, out, w.label));
  const rx = maxOf(server.map((s) => s.rxPps));
  const serverRxPps = rx === undefined ? undefined : Math.round(rx);
  const cpu = maxOf(server.map((s) => s.rates?.cpuPercent));
  const pct = serverRxPps === undefined ? undefined : percentOf(serverRxPps, adv.ppsRx);
  return {
    part: {
      results,
      ...(serverRxPps === undefined ? {} : { serverRxPps }),
      ...(packets > 0 ? { lossPercent: Math.round((lost / packets) * 100_000) / 1000 } : {}),
      ...(pct === undefined ? {} : { percentOfAdvertised: pct }),
    },
    ...(cpu === undefined ? {} : { cpu }),
  };
}

async function latencyPhase(ctx: PhaseContext, p: { duration: number; sockperfPort: number; tcp: boolean }): Promise<{ part: NonNullable<NetReport['latency']>; cpu?: number }> {
  const clients = ctx.targets.clients.map((c) => c.instanceId);
  const t0 = Date.now() + leadMs(ctx.io, clients.length + 1);
  const slot = p.duration * 1000 + LATENCY_GAP_MS;
  const steps = new Map<string, ClientStep[]>();
  const windows: ServerWindow[] = [];
  clients.forEach((c, i) => {
    const startAt = t0 + i * slot;
    windows.push({ label: `lat-${i}`, startAt, endAt: startAt + p.duration * 1000 });
    steps.set(c, [{ label: 'lat', startAt, tool: 'sockperf', args: ['ping-pong', '-i', ctx.serverIp, '-p', String(p.sockperfPort), '-t', String(p.duration), ...(p.tcp ? ['--tcp'] : [])] }]);
  });
  const endAt = Math.max(...windows.map((w) => w.endAt)) + LATENCY_GAP_MS;
  const out = await runPhase(ctx, 'latency', steps, windows, endAt);
  const part: Array<NonNullable<NetReport['latency']>[number]> = [];
  for (const c of clients) {
    const step = steps.get(c)?.[0];
    if (!step) continue;
    const got = stepResult(ctx, out.clients.get(c), c, step, 'sockperf');
    if (!got) continue;
    writeFileSync(path.join(ctx.rawDir, `${c}-latency.txt`), got.frame.payload);
    const r: SockperfResult | undefined = parseStep(ctx, `latency on ${c}`, () => ctx.parsers.parseSockperf(got.frame.payload));
    if (!r) continue;
    part.push({ client: c, protocol: p.tcp ? 'tcp' : 'udp', minUs: r.minUs, p50Us: r.p50Us, p90Us: r.p90Us, p99Us: r.p99Us, p999Us: r.p999Us, maxUs: r.maxUs, observations: r.observations });
  }
  const cpu = maxOf(windows.map((w) => windowRates(ctx, out, w.label).rates?.cpuPercent));
  return { part, ...(cpu === undefined ? {} : { cpu }) };
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${v.toFixed(1)} %`;
}

function summary(r: NetReport): { title: string; lines: string[]; context: string } {
  const lines: string[] = [];
  for (const [dir, a] of Object.entries(r.bandwidth?.aggregate ?? {})) lines.push(`• bandwidth ${dir} (${r.bandwidth?.mode}): *${bps(a.bitsPerSecond)}*${a.percentOfAdvertised === undefined ? '' : ` (${a.percentOfAdvertised} % of advertised)`}`);
  if (r.pps) lines.push(`• pps: server received *${fixed(r.pps.serverRxPps, 0)}* pps, loss ${fixed(r.pps.lossPercent, 2)} %`);
  for (const l of r.latency ?? []) lines.push(`• latency \`${l.client}\` ${l.protocol}: p50 *${l.p50Us.toFixed(1)} µs*, p99 ${l.p99Us.toFixed(1)} µs`);
  for (const w of r.warnings) lines.push(`• ⚠ ${w}`);
  return { title: `ecs-pulse net run ${r.run}`, lines, context: `server ${r.server.instanceId} (${r.server.instanceType ?? '?'}, ${r.server.privateIp ?? '?'}) · ${r.region} · ${r.clients.length} client(s)` };
}

function print(result: NetRunResult, io: Io): void {
  const r = result.report;
  if (io.json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  const p = io.paint;
  io.out(`${p.bold('net run')} ${r.run} · server ${r.server.instanceId} (${r.server.instanceType ?? '?'}, ${r.server.privateIp ?? '?'}) · ${r.region} · ${r.clients.length} client(s)`);
  const a = r.server.advertised;
  io.out(p.dim(`advertised: ${bps(a.bandwidthRxBitsPerSecond)} in / ${bps(a.bandwidthTxBitsPerSecond)} out, ${fixed(a.ppsRx, 0)} / ${fixed(a.ppsTx, 0)} pps`));
  const rows: string[][] = [['test', 'client', 'dir', 'result', 'of advertised', 'detail']];
  if (r.bandwidth) {
    for (const x of r.bandwidth.results) rows.push([`bandwidth (${r.bandwidth.mode})`, x.client, x.direction, bps(x.bitsPerSecond), '', x.retransmits === undefined ? '' : `${x.retransmits} retransmits`]);
    for (const [dir, agg] of Object.entries(r.bandwidth.aggregate)) rows.push([`bandwidth (${r.bandwidth.mode})`, r.bandwidth.mode === 'concurrent' ? 'sum' : 'mean', dir, p.green(bps(agg.bitsPerSecond)), pct(agg.percentOfAdvertised), '']);
  }
  if (r.pps) {
    for (const x of r.pps.results) rows.push(['pps', x.client, 'up', `${x.sentPps} pps sent`, '', '']);
    rows.push(['pps', 'server rx', 'up', p.green(`${fixed(r.pps.serverRxPps, 0)} pps`), pct(r.pps.percentOfAdvertised), `loss ${fixed(r.pps.lossPercent, 2)} %`]);
  }
  for (const l of r.latency ?? []) {
    rows.push([`latency (${l.protocol})`, l.client, '', p.green(`p50 ${l.p50Us.toFixed(1)} µs`), '', `min ${l.minUs.toFixed(1)} · p90 ${l.p90Us.toFixed(1)} · p99 ${l.p99Us.toFixed(1)} · p99.9 ${l.p999Us.toFixed(1)} · max ${l.maxUs.toFixed(1)} µs (${l.observations} obs.)`]);
  }
  io.out(table(rows, p.bold));
  const cpu = Object.entries(r.serverCpuPercent).map(([k, v]) => `${k} ${v.toFixed(1)} %`).join(', ');
  if (cpu) io.out(`server CPU: ${cpu}`);
  for (const w of r.warnings) io.out(p.yellow(`  ⚠ ${w}`));
  printMetrics(r.metrics, io);
  io.out(p.dim(M.savedRaw(result.rawDir)));
}
