import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Iperf3Result } from '@ecs-pulse/stress-host/parsers';
import { runRemote, type RemoteResult } from '../cloud/cloud-assistant.js';
import type { MetricsReport } from '../cloud/metrics.js';
import { CliError } from '../errors.js';
import { bps, fixed, table } from '../format.js';
import { resolveTargets, type HostOptions } from '../hosts.js';
import { resolveIo, type CommonOptions, type Io } from '../io.js';
import { M } from '../messages.js';
import { iperf3ClientScript, iperf3ServerScript, readFrames } from '../remote-scripts.js';
import { slackUrl } from '../slack.js';
import { printMetrics, reportRun, runId, runMetrics } from '../run-report.js';
import type { HostInfo } from '../stack-outputs.js';

/**
 * Options of {@link netRun}.
 *
 * @example
 * ```ts
 * import type { NetRunOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface NetRunOptions extends CommonOptions, HostOptions {
  /** `up` = client sends, `down` = server sends (`-R`), `both` = one after the other. @default 'both' */
  readonly direction?: 'up' | 'down' | 'both';
  /** Parallel streams (`-P`). @default 1 */
  readonly parallel?: number;
  /** UDP instead of TCP. @default false */
  readonly udp?: boolean;
  /** Target bitrate (`-b`), e.g. `1G`; with UDP iperf3 would otherwise send 1 Mbit/s. @default - unlimited (TCP), 1G (UDP) */
  readonly bandwidth?: string;
  /** Seconds per direction (`-t`). @default 10 */
  readonly duration?: number;
  /** Server port. @default 5201 */
  readonly port?: number;
  /** Also fetch CloudMonitor metrics of the hosts for the run window. @default false */
  readonly metrics?: boolean;
  /** Post a summary to this Slack webhook (`true`: ECS_PULSE_SLACK_WEBHOOK_URL). @default - no post */
  readonly slack?: string | boolean;
  /** Folder for the raw outputs. @default 'ecs-pulse-results' */
  readonly out?: string;
}

/**
 * One client × direction test.
 *
 * @example
 * ```ts
 * import type { NetTest } from '@ecs-pulse/cli';
 * ```
 */
export interface NetTest {
  readonly client: string;
  readonly direction: 'up' | 'down';
  readonly result?: Iperf3Result;
  readonly error?: string;
  /** Local file with the raw iperf3 JSON as printed by the host. */
  readonly rawFile?: string;
}

/**
 * Result of {@link netRun}.
 *
 * @example
 * ```ts
 * import type { NetRunResult } from '@ecs-pulse/cli';
 * ```
 */
export interface NetRunResult {
  readonly runId: string;
  readonly region: string;
  readonly server: HostInfo;
  readonly clients: readonly HostInfo[];
  readonly startedAt: string;
  readonly endedAt: string;
  readonly tests: readonly NetTest[];
  readonly rawDir: string;
  readonly metrics?: MetricsReport;
}

const BANDWIDTH = /^\d+(?:\.\d+)?[KMG]?$/i;

/**
 * Run iperf3 between the stack's hosts through Cloud Assistant (no SSH): make sure the server listens,
 * run each client against the server's private IP in each direction, parse the JSON with the
 * stress-host parser, print a table (or `--json`), keep the raw output, optionally add CloudMonitor
 * metrics and post a Slack summary.
 *
 * @example
 * ```ts
 * const r = await netRun({ direction: 'both', parallel: 4, duration: 30 });
 * console.log(r.tests.map((t) => t.result?.receivedBitsPerSecond));
 * ```
 */
export async function netRun(options: NetRunOptions = {}): Promise<NetRunResult> {
  const io = resolveIo(options);
  const direction = options.direction ?? 'both';
  if (!['up', 'down', 'both'].includes(direction)) throw new CliError('USAGE', M.badChoice('direction', direction, ['up', 'down', 'both']));
  if (options.bandwidth !== undefined && !BANDWIDTH.test(options.bandwidth)) throw new CliError('USAGE', M.badBandwidth(options.bandwidth));
  const parallel = options.parallel ?? 1;
  const duration = options.duration ?? 10;
  const port = options.port ?? 5201;
  for (const [name, v] of [['parallel', parallel], ['duration', duration], ['port', port]] as const) {
    if (!Number.isInteger(v) || v <= 0 || (name === 'port' && v > 65535) || (name === 'parallel' && v > 128)) {
      throw new CliError('USAGE', M.badNumber(name, v));
    }
  }
  const slack = slackUrl(options.slack, io.env);
  const targets = await resolveTargets(options, io, true);
  const serverIp = targets.server.privateIp;
  if (serverIp === undefined) throw new CliError('USAGE', M.instanceNotFound(targets.server.instanceId, targets.region));
  const id = runId();
  const rawDir = path.resolve(io.cwd, options.out ?? 'ecs-pulse-results', `net-${id}`);
  const started = new Date();

  const serverRun = await runRemote(
    {
      settings: targets.settings,
      instanceIds: [targets.server.instanceId],
      script: iperf3ServerScript(port, 1),
      timeoutSeconds: 60,
      name: `ecs-pulse-iperf3-server-${id}`,
      label: `iperf3 server on ${targets.server.instanceId}`,
    },
    io,
  );
  const srv = serverRun[0];
  if (!srv || srv.status !== 'Success') {
    const why = srv?.exitCode === 127 ? M.toolMissingRemote('iperf3', targets.server.instanceId) : (srv?.output.trim() || srv?.errorInfo || srv?.status || 'no result');
    throw new CliError('REMOTE_COMMAND_FAILED', `Starting the iperf3 server failed: ${why}`);
  }

  const directions: Array<'up' | 'down'> = direction === 'both' ? ['up', 'down'] : [direction];
  const tests: NetTest[] = [];
  mkdirSync(rawDir, { recursive: true });
  const { parseIperf3 } = await import('@ecs-pulse/stress-host/parsers');
  // iperf3 serves one test at a time: clients run one after the other.
  for (const client of targets.clients) {
    const [res] = await runRemote(
      {
        settings: targets.settings,
        instanceIds: [client.instanceId],
        script: iperf3ClientScript({ serverIp, port, duration, parallel, directions, udp: options.udp === true, ...(options.bandwidth ? { bandwidth: options.bandwidth } : {}), runId: id }),
        timeoutSeconds: directions.length * (duration + 30) + 30,
        name: `ecs-pulse-iperf3-client-${id}`,
        label: `iperf3 ${directions.join('+')} ${client.instanceId} → ${serverIp}`,
      },
      io,
    );
    tests.push(...collect(res, client.instanceId, directions, rawDir, parseIperf3));
  }
  const ended = new Date();

  const metrics = await runMetrics(options.metrics, targets.region, [targets.server.instanceId, ...targets.clients.map((c) => c.instanceId)], started, ended, io);
  const result: NetRunResult = {
    runId: id,
    region: targets.region,
    server: targets.server,
    clients: targets.clients,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    tests,
    rawDir,
    ...(metrics ? { metrics } : {}),
  };
  await reportRun(result, rawDir, io, print, slack, () => ({
    title: `ecs-pulse net run ${id}`,
    lines: tests.map((t) => `• \`${t.client}\` ${t.direction}: ${t.result ? `*${bps(t.result.receivedBitsPerSecond)}*${t.result.retransmits !== undefined ? `, ${t.result.retransmits} retransmits` : ''}${t.result.lostPercent !== undefined ? `, ${fixed(t.result.lostPercent, 2)} % loss` : ''}` : `failed: ${t.error ?? ''}`}`),
    context: `server ${targets.server.instanceId} (${serverIp}) · ${targets.region} · ${options.udp ? 'UDP' : 'TCP'} ×${parallel} · ${duration} s`,
  }));
  const failed = tests.filter((t) => t.error !== undefined).length;
  if (failed > 0) throw new CliError('REMOTE_COMMAND_FAILED', M.remoteFailed(failed, `of ${tests.length} iperf3 test(s)`));
  return result;
}

function collect(
  res: RemoteResult | undefined,
  client: string,
  directions: ReadonlyArray<'up' | 'down'>,
  rawDir: string,
  parse: (json: string) => Iperf3Result,
): NetTest[] {
  if (res === undefined) return directions.map((direction) => ({ client, direction, error: 'no invocation result' }));
  writeFileSync(path.join(rawDir, `${client}.output.txt`), res.output);
  const frames = readFrames(res.output);
  return directions.map((direction): NetTest => {
    const frame = frames.find((f) => f.label === `iperf3-${direction}`);
    if (frame === undefined) {
      const error = res.dropped > 0 ? M.remoteTruncated(client, res.dropped) : res.exitCode === 127 ? M.toolMissingRemote('iperf3', client) : M.remoteNoOutput('iperf3', client);
      return { client, direction, error };
    }
    const rawFile = path.join(rawDir, `${client}-${direction}.json`);
    writeFileSync(rawFile, frame.payload);
    try {
      return { client, direction, result: parse(frame.payload), rawFile };
    } catch (e) {
      return { client, direction, error: e instanceof Error ? e.message : String(e), rawFile };
    }
  });
}

function print(r: NetRunResult, io: Io): void {
  if (io.json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  const p = io.paint;
  io.out(`${p.bold('iperf3')} server ${r.server.instanceId} (${r.server.privateIp ?? '?'}) · ${r.region} · run ${r.runId}`);
  const rows: string[][] = [['client', 'dir', 'proto', 'streams', 'sent', 'received', 'retrans', 'jitter', 'loss']];
  for (const t of r.tests) {
    const x = t.result;
    rows.push(
      x
        ? [t.client, t.direction, x.protocol, String(x.streams), bps(x.sentBitsPerSecond), p.green(bps(x.receivedBitsPerSecond)), x.retransmits === undefined ? '-' : String(x.retransmits), fixed(x.jitterMs, 3, ' ms'), fixed(x.lostPercent, 2, ' %')]
        : [t.client, t.direction, p.red('failed'), '', '', '', '', '', ''],
    );
  }
  io.out(table(rows, p.bold));
  for (const t of r.tests) if (t.error) io.out(p.red(`  ${t.client} ${t.direction}: ${t.error}`));
  printMetrics(r.metrics, io);
  io.out(p.dim(M.savedRaw(r.rawDir)));
}

/** Print a metrics report as a table. @internal */
