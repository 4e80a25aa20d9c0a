import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StressNgResult } from '@ecs-pulse/stress-host/parsers';
import { runRemote, type RemoteResult } from '../cloud/cloud-assistant.js';
import { describeHostTypes } from '../cloud/instance-types.js';
import type { MetricsReport } from '../cloud/metrics.js';
import { CliError } from '../errors.js';
import { fixed, table } from '../format.js';
import { resolveTargets, type HostOptions } from '../hosts.js';
import { resolveIo, type CommonOptions, type Io } from '../io.js';
import { M } from '../messages.js';
import { readFrames, stressNgScript } from '../remote-scripts.js';
import { slackUrl } from '../slack.js';
import { printMetrics, reportRun, runId, runMetrics } from '../run-report.js';
import { stressRunRecord } from '../runs/build.js';
import { createRunFolder, resultsDir } from '../runs/store.js';

/**
 * Options of {@link stressRun}.
 *
 * @example
 * ```ts
 * import type { StressRunOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface StressRunOptions extends CommonOptions, HostOptions {
  /** CPU stressor instances (`--cpu`; 0 = one per online CPU). @default 0 when no other stressor is given */
  readonly cpu?: number;
  /** VM (memory) stressor instances (`--vm`). @default - none */
  readonly vm?: number;
  /** Memory per VM stressor (`--vm-bytes`), e.g. `256M`, `1G`, `80%`. @default - stress-ng's default (256M) */
  readonly vmBytes?: string;
  /** Run time in seconds (`--timeout`). @default 60 */
  readonly timeout?: number;
  /** More stressors as `name` or `name:count`, e.g. `matrix:2`, `io`. @default [] */
  readonly stressors?: readonly string[];
  /** Also run on the stack's clients, not only the server. @default false */
  readonly all?: boolean;
  /** Fetch CloudMonitor metrics of the hosts for the run window. @default false */
  readonly metrics?: boolean;
  /** Post a summary to this Slack webhook (`true`: ECS_PULSE_SLACK_WEBHOOK_URL). @default - no post */
  readonly slack?: string | boolean;
  /** The run store: each run is kept in `<results>/<run-id>/` (`result.json` and the raw outputs). @default - ECS_PULSE_RESULTS, else 'ecs-pulse-results' */
  readonly results?: string;
  /** The older name of `results`. @default - see results */
  readonly out?: string;
}

/**
 * The stress-ng result of one host.
 *
 * @example
 * ```ts
 * import type { StressHostRun } from '@ecs-pulse/cli';
 * ```
 */
export interface StressHostRun {
  readonly instanceId: string;
  readonly exitCode: number;
  /** The instance type (`DescribeInstances`). @default - unknown */
  readonly instanceType?: string;
  /** vCPUs of the instance type (`DescribeInstanceTypes`). @default - unknown */
  readonly vcpus?: number;
  /** Memory of the instance type in GiB (`DescribeInstanceTypes`). @default - unknown */
  readonly memoryGiB?: number;
  /** The host's CPU use over the run, from /proc/stat, 0–100. @default - not sampled */
  readonly cpuPercent?: number;
  /** Memory in use halfway through the run, from /proc/meminfo, 0–100. @default - not sampled */
  readonly memoryUsedPercent?: number;
  /** stressor → bogo-ops per second (real time) per vCPU, comparable across instance types. @default - vCPUs unknown */
  readonly bogoOpsPerSecondPerVcpu?: Readonly<Record<string, number>>;
  readonly result?: StressNgResult;
  readonly error?: string;
  readonly rawFile?: string;
}

/**
 * Result of {@link stressRun}.
 *
 * @example
 * ```ts
 * import type { StressRunResult } from '@ecs-pulse/cli';
 * ```
 */
export interface StressRunResult {
  readonly runId: string;
  readonly region: string;
  readonly stressors: ReadonlyArray<readonly [string, number]>;
  readonly timeoutSeconds: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly hosts: readonly StressHostRun[];
  readonly rawDir: string;
  readonly metrics?: MetricsReport;
  /** What could not be looked up or sampled. */
  readonly warnings: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const SIZE = /^\d+(?:\.\d+)?[bkmgt%]?$/i;
const STRESSOR = /^([a-z][a-z0-9-]*)(?::(\d+))?$/;

/** Build the stressor list from the options (validated: names and counts only, nothing else reaches the shell). @internal */
export function stressorList(o: Pick<StressRunOptions, 'cpu' | 'vm' | 'stressors'>): Array<[string, number]> {
  const list: Array<[string, number]> = [];
  for (const [name, v] of [['cpu', o.cpu], ['vm', o.vm]] as const) {
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0) throw new CliError('USAGE', M.badNumber(name, v));
    list.push([name, v]);
  }
  for (const s of o.stressors ?? []) {
    const m = STRESSOR.exec(s);
    if (!m) throw new CliError('USAGE', M.badStressor(s));
    list.push([m[1] ?? '', m[2] === undefined ? 1 : Number(m[2])]);
  }
  if (list.length === 0) list.push(['cpu', 0]);
  return list;
}

/**
 * Run stress-ng on the stack's server (and clients with `all`) through Cloud Assistant: the YAML
 * result is written on the host, printed back, parsed with the stress-host parser, shown as a table
 * or `--json`, kept locally; optionally with CloudMonitor metrics and a Slack summary.
 *
 * @example
 * ```ts
 * const r = await stressRun({ cpu: 2, vm: 1, vmBytes: '512M', timeout: 120 });
 * ```
 */
export async function stressRun(options: StressRunOptions = {}): Promise<StressRunResult> {
  const io = resolveIo(options);
  const stressors = stressorList(options);
  if (options.vmBytes !== undefined && !SIZE.test(options.vmBytes)) throw new CliError('USAGE', M.badSize('vm-bytes', options.vmBytes));
  const timeoutSeconds = options.timeout ?? 60;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new CliError('USAGE', M.badNumber('timeout', timeoutSeconds));
  const slack = slackUrl(options.slack, io.env);
  const targets = await resolveTargets(options, io, false);
  const hosts = [targets.server, ...(options.all === true ? targets.clients : [])];
  const id = runId();
  const started = new Date();
  const types = describeHostTypes(targets.settings, hosts.map((h) => h.instanceId), io);
  const results = await runRemote(
    {
      settings: targets.settings,
      instanceIds: hosts.map((h) => h.instanceId),
      script: stressNgScript({ stressors, ...(options.vmBytes ? { vmBytes: options.vmBytes } : {}), timeoutSeconds, runId: id }),
      timeoutSeconds: timeoutSeconds + 60,
      name: `ecs-pulse-stress-${id}`,
      label: `stress-ng ${stressors.map(([n, c]) => `${n}:${c}`).join(' ')} for ${timeoutSeconds} s`,
    },
    io,
  );
  const ended = new Date();
  const rawDir = createRunFolder(resultsDir(options.results ?? options.out, io.env, io.cwd), `stress-${id}`);
  const { parseStressNg, parseHostSnapshot, hostRates } = await import('@ecs-pulse/stress-host/parsers');
  const typeInfo = await types;
  const warnings = [...typeInfo.warnings];
  const sampled = (res: RemoteResult, instanceId: string): Partial<Mutable<StressHostRun>> => {
    const frames = readFrames(res.output);
    const snap = (label: string) => {
      const f = frames.find((x) => x.label === label)?.payload;
      return f ? parseHostSnapshot(f) : undefined;
    };
    try {
      const a = snap('snap-start');
      const b = snap('snap-end');
      const mid = snap('snap-mid');
      const out: Partial<Mutable<StressHostRun>> = {};
      if (a && b) {
        const cpu = hostRates(a, b).cpuPercent;
        if (cpu !== undefined) out.cpuPercent = Math.round(cpu * 10) / 10;
      }
      const mem = (mid ?? b)?.memory;
      if (mem && mem.totalKiB > 0) out.memoryUsedPercent = Math.round(((mem.totalKiB - mem.availableKiB) / mem.totalKiB) * 1000) / 10;
      return out;
    } catch (e) {
      warnings.push(`The host samples of ${instanceId} could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return {};
    }
  };
  const typed = (instanceId: string, result?: StressNgResult): Partial<Mutable<StressHostRun>> => {
    const instanceType = typeInfo.byInstance.get(instanceId);
    const t = instanceType === undefined ? undefined : typeInfo.types.get(instanceType);
    return {
      ...(instanceType ? { instanceType } : {}),
      ...(t?.vcpus ? { vcpus: t.vcpus } : {}),
      ...(t?.memoryGiB ? { memoryGiB: t.memoryGiB } : {}),
      ...(t?.vcpus && result ? { bogoOpsPerSecondPerVcpu: Object.fromEntries(result.metrics.map((m) => [m.stressor, Math.round((m.bogoOpsPerSecondReal / (t.vcpus ?? 1)) * 100) / 100])) } : {}),
    };
  };
  const runs: StressHostRun[] = hosts.map((h) => {
    const res = results.find((r) => r.instanceId === h.instanceId);
    if (!res) return { instanceId: h.instanceId, exitCode: -1, error: 'no invocation result' };
    writeFileSync(path.join(rawDir, `${h.instanceId}.output.txt`), res.output);
    const frame = readFrames(res.output).find((f) => f.label === 'stress-ng');
    if (!frame || frame.payload.trim() === '') {
      const log = readFrames(res.output).find((f) => f.label === 'stress-ng-log')?.payload.trim();
      const error = res.dropped > 0 ? M.remoteTruncated(h.instanceId, res.dropped) : res.exitCode === 127 ? M.toolMissingRemote('stress-ng', h.instanceId) : `${M.remoteNoOutput('stress-ng', h.instanceId)}${log ? `\n${log}` : ''}`;
      return { instanceId: h.instanceId, exitCode: res.exitCode, error };
    }
    const rawFile = path.join(rawDir, `${h.instanceId}.yaml`);
    writeFileSync(rawFile, frame.payload);
    try {
      const result = parseStressNg(frame.payload);
      const extra = { ...typed(h.instanceId, result), ...sampled(res, h.instanceId) };
      // stress-ng exit codes: 0 ok, 2 a stressor failed, 3 no resources, ... (man page).
      return frame.rc === 0
        ? { instanceId: h.instanceId, exitCode: frame.rc, ...extra, result, rawFile }
        : { instanceId: h.instanceId, exitCode: frame.rc, ...extra, result, rawFile, error: `stress-ng exited with code ${frame.rc}` };
    } catch (e) {
      return { instanceId: h.instanceId, exitCode: frame.rc, error: e instanceof Error ? e.message : String(e), rawFile };
    }
  });
  const metrics = await runMetrics(options.metrics, targets.region, hosts.map((h) => h.instanceId), started, ended, io);
  const result: StressRunResult = {
    runId: id,
    region: targets.region,
    stressors,
    timeoutSeconds,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    hosts: runs,
    rawDir,
    ...(metrics ? { metrics } : {}),
    warnings,
  };
  const record = stressRunRecord(result, {
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    options: { ...(options.vmBytes ? { vmBytes: options.vmBytes } : {}), all: options.all === true },
  });
  await reportRun(result, record, rawDir, io, print, slack, () => ({
    title: `ecs-pulse stress run ${id}`,
    lines: runs.flatMap((r) =>
      r.result
        ? r.result.metrics.map((m) => `• \`${r.instanceId}\` ${m.stressor}: *${fixed(m.bogoOpsPerSecondReal, 1)}* bogo ops/s`)
        : [`• \`${r.instanceId}\` failed: ${r.error ?? ''}`],
    ),
    context: `${targets.region} · ${stressors.map(([n, c]) => `${n}:${c}`).join(' ')} · ${timeoutSeconds} s`,
  }));
  const failed = runs.filter((r) => r.error !== undefined).length;
  if (failed > 0) throw new CliError('REMOTE_COMMAND_FAILED', M.remoteFailed(failed, `of ${runs.length} stress-ng run(s)`));
  return result;
}

function print(r: StressRunResult, io: Io): void {
  if (io.json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  const p = io.paint;
  io.out(`${p.bold('stress-ng')} ${r.stressors.map(([n, c]) => `${n}:${c}`).join(' ')} · ${r.timeoutSeconds} s · ${r.region} · run ${r.runId}`);
  const rows: string[][] = [['host', 'type', 'stressor', 'bogo ops', 'ops/s real', 'ops/s/vCPU', 'ops/s usr+sys', 'cpu %/inst', 'max rss', 'host cpu', 'host mem']];
  for (const h of r.hosts) {
    if (!h.result) {
      rows.push([h.instanceId, h.instanceType ?? '', p.red('failed'), '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const m of h.result.metrics) {
      rows.push([h.instanceId, h.vcpus ? `${h.instanceType ?? '?'} (${h.vcpus} vCPU${h.memoryGiB ? `, ${h.memoryGiB} GiB` : ''})` : (h.instanceType ?? '-'), m.stressor, String(m.bogoOps), p.green(fixed(m.bogoOpsPerSecondReal, 1)), fixed(h.bogoOpsPerSecondPerVcpu?.[m.stressor], 1), fixed(m.bogoOpsPerSecondUsrSys, 1), fixed(m.cpuUsagePerInstancePercent, 1), m.maxRssKiB === undefined ? '-' : `${m.maxRssKiB} KiB`, fixed(h.cpuPercent, 1, ' %'), fixed(h.memoryUsedPercent, 1, ' %')]);
    }
  }
  io.out(table(rows, p.bold));
  for (const h of r.hosts) if (h.error) io.out(p.red(`  ${h.instanceId}: ${h.error}`));
  for (const w of r.warnings) io.out(p.yellow(`  ⚠ ${w}`));
  printMetrics(r.metrics, io);
  io.out(p.dim(M.savedRaw(r.rawDir)));
}
