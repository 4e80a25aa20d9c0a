import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cac, type CAC } from 'cac';
import { CliError, ExitCode } from './errors.js';
import { colorEnabled, type CommonOptions, type Writer } from './io.js';
import { M } from './messages.js';
import { redact } from './redact.js';

/**
 * Options of {@link main}: the process by default, injectable for tests.
 *
 * @example
 * ```ts
 * import type { MainOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface MainOptions {
  /** @default process.stdout */
  readonly stdout?: Writer;
  /** @default process.stderr */
  readonly stderr?: Writer;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.cwd() */
  readonly cwd?: string;
}

type Opts = Record<string, unknown>;
type Action = (args: readonly unknown[], opts: Opts, common: CommonOptions) => Promise<unknown>;

function version(): string {
  try {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const pkg = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const list = (v: unknown): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);

/** Parse a positive number option, or throw a usage error naming it. @internal */
export function num(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CliError('USAGE', M.badNumber(name, v));
  return n;
}

/**
 * Parse a whole-number option within `[min, max]`, or throw a usage error that names the option, the
 * range and the text given. @internal
 */
export function int(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const text = String(v).trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError('USAGE', M.badInteger(name, text, min, max));
  return n;
}

function oneOf<T extends string>(v: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const text = String(v);
  if (!allowed.includes(text as T)) throw new CliError('USAGE', M.badChoice(name, text, allowed));
  return text as T;
}

/** CloudMonitor system-event levels (`DescribeSystemEventAttribute` `Level`). */
const EVENT_LEVELS = ['CRITICAL', 'WARN', 'INFO'] as const;

/** What `preview -` and `send-test-event -` become after the argument pass (mri would drop a lone `-`). */
const STDIN_ARG = '\u0000stdin';

function appOpts(opts: Opts): { app?: string; stack?: string } {
  return { ...(str(opts.app) && { app: str(opts.app) }), ...(str(opts.stack) && { stack: str(opts.stack) }) };
}

function subAction(command: string, allowed: readonly string[], action: unknown): string {
  const a = str(action);
  if (a === undefined || !allowed.includes(a)) throw new CliError('USAGE', M.unknownAction(command, a, allowed));
  return a;
}

/**
 * The command table. Each action imports its command module lazily, so `ecs-pulse --help` loads
 * no SDK and no command code.
 */
function define(cli: CAC, run: (action: Action) => (...a: unknown[]) => Promise<unknown>): void {
  const withApp = (c: ReturnType<CAC['command']>) =>
    c
      .option('--app <dir>', 'cdktf app folder (with cdktf.json or main.ts); env ECS_PULSE_APP')
      .option('--stack <name>', 'stack name when the app has several')
      .option('--json', 'print machine-readable JSON');

  // `demo` — the offline main job (synth + local replay into the Slack sink).
  cli
    .command('demo', 'Run the whole alert path offline: synth, replay sample events through the function into a local Slack sink')
    .option('--app <dir>', 'cdktf app to synthesize (default: the example stress-test-environment)')
    .option('--skip-synth', 'skip the synth step')
    .option('--samples <dir>', 'folder with manifest.json and payloads (default: the bundled samples)')
    .option('--outdir <dir>', 'where the synthesized stack goes: a new or empty folder, or one an earlier demo made (default: a new <tmp>/ecs-pulse-demo-XXXXXX, removed at the end)')
    .option('--keep', 'keep the temporary folder of the synthesized stack (its path is printed)')
    .option('--config <file>', "replay through your forwarder config (the function's ECS_PULSE_CONFIG JSON: routes, filters, mentions) and show which route got what")
    .option('--threads', 'also replay a system-event lifecycle through a bot-token route: one Slack thread, the parent edited in place')
    .option('--json', 'print the summary as JSON')
    .example('ecs-pulse demo')
    .example('ecs-pulse demo --config forwarder.json --skip-synth')
    .example('ecs-pulse demo --skip-synth --threads')
    .action(run(async (_a, o, c) => {
      const { demo } = await import('./commands/demo.js');
      return demo({
        ...c,
        ...(str(o.app) && { app: str(o.app) }),
        ...(str(o.samples) && { samples: str(o.samples) }),
        ...(str(o.outdir) && { outdir: str(o.outdir) }),
        ...(str(o.config) && { config: str(o.config) }),
        skipSynth: o.skipSynth === true,
        threads: o.threads === true,
        keep: o.keep === true,
      });
    }));
  // `preview <file>` — render a payload file as the Slack message it would become.
  cli
    .command('preview [file]', 'Render a payload file (or - for stdin) as the Slack message it would become (terminal + Block Kit Builder link)')
    .option('--sample <name>', 'a sample bundled with the CLI instead of a file; "--sample list" names them')
    .option('--content-type <type>', 'Content-Type the payload arrives with: application/json, application/x-www-form-urlencoded, text/plain (default: detected)')
    .option('--environment <label>', 'environment label in the message footer, e.g. prod')
    .option('--json', 'print the Block Kit JSON, the family and the Block Kit Builder link')
    .example('ecs-pulse preview event.json --json')
    .example('ecs-pulse preview --sample cms-event-ecs-instance-statechange-stopped')
    .example('cat event.json | ecs-pulse preview -')
    .action(run(async (a, o, c) => {
      const { preview } = await import('./commands/preview.js');
      const file = str(a[0]);
      const sample = str(o.sample);
      if (file !== undefined && sample !== undefined) throw new CliError('USAGE', M.fileOrSample());
      if (file === undefined && sample === undefined) throw new CliError('USAGE', M.previewNeedsFile());
      return preview({
        ...c,
        ...(file !== undefined && { file: file === STDIN_ARG ? '-' : file }),
        ...(sample !== undefined && { sample }),
        ...(str(o.contentType) && { contentType: str(o.contentType) }),
        ...(str(o.environment) && { environment: str(o.environment) }),
      });
    }));

  // `sink` — a local Slack-compatible incoming webhook that prints what it receives.
  cli
    .command('sink', 'Run a local Slack-compatible incoming webhook: prints its URL, then each message it receives as preview does; Ctrl-C stops it')
    .option('--port <port>', 'port on 127.0.0.1 (default: any free port)')
    .option('--json', 'print one JSON line per request (the URL first)')
    .example('ecs-pulse sink --port 8765')
    .action(run(async (_a, o, c) => {
      const { sink } = await import('./commands/sink.js');
      const port = int(o.port, 'port', 0, 65535);
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        return await sink({ ...c, ...(port !== undefined && { port }), signal: stop.signal });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }));

  withApp(cli.command('synth', 'Synthesize the cdktf app into Terraform JSON (cdktf.out/)'))
    .option('--context <key=value>', 'context value passed to the app (repeatable)')
    .action(run(async (_a, o, c) => {
      const { synth } = await import('./commands/lifecycle.js');
      const { parseContext } = await import('./app.js');
      return synth({ ...c, ...appOpts(o), context: parseContext(o.context) });
    }));

  for (const name of ['plan', 'deploy', 'destroy'] as const) {
    const describe = {
      plan: 'Synthesize, then terraform init + plan in the stack folder',
      deploy: 'Synthesize, then terraform init + apply; caches the outputs in .ecs-pulse/',
      destroy: 'terraform destroy, then remove the local key file and .ecs-pulse/',
    }[name];
    const cmd = withApp(cli.command(name, describe))
      .option('--context <key=value>', 'context value passed to the app (repeatable)')
      .option('--skip-synth', 'use the existing cdktf.out instead of synthesizing');
    if (name !== 'plan') cmd.option('--yes', 'approve without asking (-auto-approve); required without a terminal');
    cmd.action(run(async (_a, o, c) => {
      const m = await import('./commands/lifecycle.js');
      const { parseContext } = await import('./app.js');
      const base = { ...c, ...appOpts(o), context: parseContext(o.context), skipSynth: o.skipSynth === true };
      if (name === 'plan') return m.plan(base);
      return m[name]({ ...base, yes: o.yes === true });
    }));
  }

  const hostOpts = (c: ReturnType<CAC['command']>) =>
    withApp(c)
      .option('--server <instance-id>', 'server instance id (default: from the stack outputs)')
      .option('--client <instance-id>', 'client instance id (repeatable; default: from the stack outputs)')
      .option('--region <region>', 'region id, e.g. cn-hangzhou (default: stack output or ALIBABA_CLOUD_REGION_ID)')
      .option('--metrics', 'also fetch CloudMonitor metrics of the hosts for the run window')
      .option('--slack [url]', 'post a summary to this webhook (or ECS_PULSE_SLACK_WEBHOOK_URL)')
      .option('--results <dir>', 'run store: each run goes to <dir>/<run-id>/ (default: ECS_PULSE_RESULTS, else ecs-pulse-results)')
      .option('--out <dir>', 'older name of --results');
  const hostArgs = (o: Opts) => ({
    ...appOpts(o),
    ...(str(o.server) && { server: str(o.server) }),
    ...(o.client !== undefined && { client: list(o.client) }),
    ...(str(o.region) && { region: str(o.region) }),
    metrics: o.metrics === true,
    ...(o.slack !== undefined && { slack: typeof o.slack === 'string' ? o.slack : o.slack === true }),
    ...(str(o.results) && { results: str(o.results) }),
    ...(str(o.out) && { out: str(o.out) }),
  });

  hostOpts(cli.command('stress [action]', 'stress run: run stress-ng on the hosts through Cloud Assistant and print the results'))
    .usage('stress run [options]')
    .option('--cpu <n>', 'CPU stressor instances (0 = one per CPU; default when nothing else is given)')
    .option('--vm <n>', 'memory (vm) stressor instances')
    .option('--vm-bytes <size>', 'memory per vm stressor, e.g. 256M, 1G, 80%')
    .option('--timeout <seconds>', 'run time, e.g. 60, 90s, 5m (default 60)')
    .option('--stressor <name[:n]>', 'another stressor, e.g. matrix:2 (repeatable)')
    .option('--all', 'also stress the client hosts')
    .example('ecs-pulse stress run --cpu 2 --vm 1 --vm-bytes 512M --timeout 2m --metrics')
    .action(run(async (a, o, c) => {
      subAction('stress', ['run'], a[0]);
      const { parseSeconds } = await import('./format.js');
      const timeout = o.timeout === undefined ? undefined : parseSeconds(o.timeout);
      if (o.timeout !== undefined && timeout === undefined) throw new CliError('USAGE', M.badNumber('timeout', o.timeout));
      if (typeof o.slack === 'string' && o.slack !== '') await (await import('./slack.js')).checkWebhookUrl(o.slack, 'slack');
      const cpu = int(o.cpu, 'cpu', 0, 1024);
      const vm = int(o.vm, 'vm', 0, 1024);
      const { stressRun } = await import('./commands/stress.js');
      return stressRun({
        ...c,
        ...hostArgs(o),
        ...(cpu !== undefined && { cpu }),
        ...(vm !== undefined && { vm }),
        ...(str(o.vmBytes) && { vmBytes: str(o.vmBytes) }),
        ...(timeout !== undefined && { timeout }),
        stressors: list(o.stressor),
        all: o.all === true,
      });
    }));

  hostOpts(cli.command('net [action]', 'net run: bandwidth (iperf3), pps (small UDP, counted on the server) and latency (sockperf) between the hosts through Cloud Assistant'))
    .usage('net run [options]')
    .option('--tests <list>', 'comma-separated: bandwidth,pps,latency (default all three)')
    .option('--mode <mode>', 'bandwidth and pps: concurrent (default; all clients at once, one server port each) or serial')
    .option('--direction <dir>', 'bandwidth: up (clients send), down (server sends), both (default)')
    .option('--parallel <n>', 'bandwidth: parallel streams per client (-P, default 1)')
    .option('--udp', 'bandwidth over UDP instead of TCP')
    .option('--bandwidth <bps>', 'bandwidth: target bitrate, e.g. 1G (UDP default 1G)')
    .option('--pps-streams <n>', 'pps: UDP streams per client (default 4)')
    .option('--tcp', 'latency over TCP instead of UDP')
    .option('--duration <seconds>', 'seconds per test (default 10)')
    .option('--port <port>', 'first iperf3 server port; client i uses port+i (default 5201)')
    .option('--sockperf-port <port>', 'sockperf server port (default 11111)')
    .example('ecs-pulse net run --tests bandwidth,pps,latency --mode concurrent --parallel 4 --duration 30 --json')
    .action(run(async (a, o, c) => {
      subAction('net', ['run'], a[0]);
      const { parseSeconds } = await import('./format.js');
      const duration = o.duration === undefined ? undefined : parseSeconds(o.duration);
      if (o.duration !== undefined && duration === undefined) throw new CliError('USAGE', M.badNumber('duration', o.duration));
      if (typeof o.slack === 'string' && o.slack !== '') await (await import('./slack.js')).checkWebhookUrl(o.slack, 'slack');
      const direction = oneOf(o.direction, 'direction', ['up', 'down', 'both'] as const);
      const parallel = int(o.parallel, 'parallel', 1, 128);
      const port = int(o.port, 'port', 1, 65535);
      const sockperfPort = int(o.sockperfPort, 'sockperf-port', 1, 65535);
      const ppsStreams = int(o.ppsStreams, 'pps-streams', 1, 128);
      const mode = oneOf(o.mode, 'mode', ['concurrent', 'serial'] as const);
      const tests = o.tests === undefined ? undefined : list(o.tests).map((t) => oneOf(t, 'tests', ['bandwidth', 'pps', 'latency'] as const) as 'bandwidth');
      const { netRun } = await import('./commands/net.js');
      return netRun({
        ...c,
        ...hostArgs(o),
        ...(tests !== undefined && { tests }),
        ...(mode !== undefined && { mode }),
        ...(ppsStreams !== undefined && { ppsStreams }),
        ...(sockperfPort !== undefined && { sockperfPort }),
        tcp: o.tcp === true,
        ...(direction !== undefined && { direction }),
        ...(parallel !== undefined && { parallel }),
        udp: o.udp === true,
        ...(str(o.bandwidth) && { bandwidth: str(o.bandwidth) }),
        ...(duration !== undefined && { duration }),
        ...(port !== undefined && { port }),
      });
    }));

  withApp(cli.command('send-test-event [file]', 'Send a payload (default: a bundled sample event; - reads stdin) to a Slack webhook or to the deployed function'))
    .option('--webhook <url>', 'render with the parser + notifier and post to this Slack webhook')
    .option('--fc-version <2|3>', 'FC generation of the deployed function (default: stack output, else 3)')
    .option('--function <name>', 'function name (default: stack output; FC 2.0: ECSMonitoringFunction)')
    .option('--service <name>', 'FC 2.0 service name (default: stack output, else ECSMonitoringService)')
    .option('--qualifier <q>', 'version or alias to invoke')
    .option('--region <region>', 'region id (default: stack output or ALIBABA_CLOUD_REGION_ID)')
    .option('--account-id <id>', 'account id for the FC endpoint (default: stack output or ALIBABA_CLOUD_ACCOUNT_ID)')
    .action(run(async (a, o, c) => {
      const { sendTestEvent } = await import('./commands/send-test-event.js');
      const version = oneOf(o.fcVersion, 'fc-version', ['2', '3'] as const);
      const v = version === undefined ? undefined : Number(version);
      return sendTestEvent({
        ...c,
        ...appOpts(o),
        ...(str(a[0]) && { file: str(a[0]) === STDIN_ARG ? '-' : str(a[0]) }),
        ...(str(o.webhook) && { webhook: str(o.webhook) }),
        ...(v !== undefined && { fcVersion: v as 2 | 3 }),
        ...(str(o.function) && { functionName: str(o.function) }),
        ...(str(o.service) && { serviceName: str(o.service) }),
        ...(str(o.qualifier) && { qualifier: str(o.qualifier) }),
        ...(str(o.region) && { region: str(o.region) }),
        ...(str(o.accountId) && { accountId: str(o.accountId) }),
      });
    }));

  cli
    .command('events [action]', 'events list | events replay: recent CloudMonitor system events, as a table or replayed into Slack')
    .usage('events <list|replay> [options]')
    .option('--since <when>', 'window start: 30m, 1h (default), 2d, or an ISO time')
    .option('--product <code>', 'product code, e.g. ECS')
    .option('--level <levels>', 'comma-separated levels, e.g. CRITICAL,WARN')
    .option('--region <region>', 'region id (default ALIBABA_CLOUD_REGION_ID)')
    .option('--webhook <url>', 'replay: post to this Slack webhook')
    .option('--sink', 'replay: post to a local Slack sink and print the messages (default)')
    .option('--config <file>', "replay: the forwarder's ECS_PULSE_CONFIG JSON (routes, filters)")
    .option('--json', 'print machine-readable JSON')
    .example('ecs-pulse events list --since 6h --product ECS --level CRITICAL,WARN')
    .example('ecs-pulse events replay --since 1d --sink --config forwarder.json')
    .action(run(async (a, o, c) => {
      const action = subAction('events', ['list', 'replay'], a[0]);
      const levels = o.level === undefined ? undefined : list(o.level).map((l) => l.toUpperCase());
      for (const level of levels ?? []) oneOf(level, 'level', EVENT_LEVELS);
      if (levels !== undefined && levels.length === 0) throw new CliError('USAGE', M.badChoice('level', '', EVENT_LEVELS));
      const { parseSince } = await import('./format.js');
      if (o.since !== undefined && parseSince(String(o.since), new Date()) === undefined) throw new CliError('USAGE', M.badDuration('since', o.since));
      if (str(o.webhook) !== undefined) await (await import('./slack.js')).checkWebhookUrl(String(o.webhook), 'webhook');
      const m = await import('./commands/events.js');
      const base = {
        ...c,
        ...(str(o.since) && { since: str(o.since) }),
        ...(str(o.product) && { product: str(o.product) }),
        ...(levels !== undefined && { level: levels }),
        ...(str(o.region) && { region: str(o.region) }),
      };
      if (action === 'list') return m.eventsList(base);
      return m.eventsReplay({
        ...base,
        ...(str(o.webhook) && { webhook: str(o.webhook) }),
        sink: o.sink === true,
        ...(str(o.config) && { config: str(o.config) }),
      });
    }));

  withApp(cli.command('alarms', "State of the stack's CloudMonitor alarm rules and their recent alert history"))
    .option('--region <region>', 'region id (default: stack output or ALIBABA_CLOUD_REGION_ID)')
    .option('--name <text>', 'only rules whose name contains this text')
    .option('--since <when>', 'alert history window (default 1d)')
    .action(run(async (_a, o, c) => {
      const { alarms } = await import('./commands/alarms.js');
      return alarms({
        ...c,
        ...appOpts(o),
        ...(str(o.region) && { region: str(o.region) }),
        ...(str(o.name) && { name: str(o.name) }),
        ...(str(o.since) && { since: str(o.since) }),
      });
    }));

  withApp(cli.command('ssh', 'Print (or run with --exec) the ssh command for the server, with the right key and user'))
    .usage('ssh [options] [-- remote command]')
    .option('--host <host>', 'host to connect to (default: the server public IP from the stack outputs)')
    .option('--user <user>', 'login user (default: stack output, else root)')
    .option('--key <file>', 'private key file (default: stack output)')
    .option('--exec', 'run ssh instead of printing the command')
    .action(run(async (_a, o, c) => {
      const { ssh } = await import('./commands/ssh.js');
      const rest = (o['--'] as unknown[] | undefined)?.map(String) ?? [];
      return ssh({
        ...c,
        ...appOpts(o),
        ...(str(o.host) && { host: str(o.host) }),
        ...(str(o.user) && { user: str(o.user) }),
        ...(str(o.key) && { key: str(o.key) }),
        exec: o.exec === true,
        command: rest,
      });
    }));

  // `runs` and `report` — the run store (result.json per run), comparisons, exports, HTML report.
  cli
    .command('runs [action] [...refs]', 'runs list | show <run> | compare <a> <b> | export <run>: the stored test runs')
    .usage('runs <list|show|compare|export> [run...] [options]')
    .option('--results <dir>', 'results folder (default: ECS_PULSE_RESULTS, else ./ecs-pulse-results)')
    .option('--tolerance <percent>', 'compare: changes within this are "same" (default 5)')
    .option('--fail-on-regression', 'compare: exit 1 when any figure is worse beyond the tolerance')
    .option('--format <pkb|csv|jsonl>', 'export: output format (default pkb)')
    .option('--out <file>', 'export: write to this file instead of stdout (never overwrites)')
    .option('--json', 'print machine-readable JSON')
    .example('ecs-pulse runs compare previous latest --fail-on-regression')
    .example('ecs-pulse runs export latest --format pkb > perfkitbenchmarker_results.json')
    .action(run(async (a, o, c) => {
      const action = subAction('runs', ['list', 'show', 'compare', 'export'], a[0]);
      const refs = ((a[1] as unknown[] | undefined) ?? []).map(String);
      const want = { list: 0, show: 1, compare: 2, export: 1 }[action as 'list'];
      if (refs.length !== want) {
        throw new CliError('USAGE', M.runRefs(action, want, refs.length));
      }
      const m = await import('./commands/runs.js');
      const base = { ...c, ...(str(o.results) && { results: str(o.results) }) };
      if (action === 'list') return m.runsList(base);
      if (action === 'show') return m.runsShow({ ...base, run: refs[0] as string });
      if (action === 'export') {
        return m.runsExport({ ...base, run: refs[0] as string, ...(str(o.format) && { format: str(o.format) }), ...(str(o.out) && { out: str(o.out) }) });
      }
      const tol = o.tolerance === undefined ? undefined : Number(o.tolerance);
      return m.runsCompare({ ...base, a: refs[0] as string, b: refs[1] as string, ...(tol !== undefined && { tolerancePercent: tol }), failOnRegression: o.failOnRegression === true });
    }));

  cli
    .command('report <run> [...more]', 'Write one self-contained HTML report of one or more runs (charts, comparison)')
    .option('--results <dir>', 'results folder (default: ECS_PULSE_RESULTS, else ./ecs-pulse-results)')
    .option('--out <file>', 'HTML file to write (default report.html)')
    .option('--force', 'overwrite --out when it exists')
    .option('--tolerance <percent>', 'tolerance of the comparison tables (default 5)')
    .option('--json', 'print the written file as JSON')
    .example('ecs-pulse report previous latest --out report.html')
    .action(run(async (a, o, c) => {
      const { report: writeReport } = await import('./commands/runs.js');
      const more = ((a[1] as unknown[] | undefined) ?? []).map(String);
      const tol = o.tolerance === undefined ? undefined : Number(o.tolerance);
      return writeReport({
        ...c,
        runs: [String(a[0]), ...more],
        ...(str(o.results) && { results: str(o.results) }),
        ...(str(o.out) && { out: str(o.out) }),
        force: o.force === true,
        ...(tol !== undefined && { tolerancePercent: tol }),
      });
    }));
}

/** Option names (kebab-case) that take a value, over every command. */
function valueOptions(cli: CAC): Set<string> {
  const names = new Set<string>();
  for (const command of [cli.globalCommand, ...cli.commands]) {
    for (const option of command.options) if (option.required !== undefined) for (const n of option.rawName.match(/--[a-z0-9-]+/g) ?? []) names.add(n.slice(2));
  }
  return names;
}

const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

interface PreparedArgv {
  /** The argument vector handed to cac. */
  readonly argv: string[];
  /** The exact text of every value option (mri would turn `0123` into 123, a 16-digit account id into a float). */
  readonly raw: Record<string, string[]>;
  /** Whether `--json` was asked for (errors are then also printed as JSON on stdout). */
  readonly json: boolean;
}

/**
 * The argument pass before cac: `help [command]` becomes `[command] --help`; `--opt -1` becomes
 * `--opt=-1` for options that take a value (mri reads `-1` as a flag); a lone `-` (stdin) survives; the
 * exact text of each value option is kept.
 */
function prepareArgv(argv: readonly string[], values: ReadonlySet<string>, commands: readonly string[]): PreparedArgv {
  const head = argv.slice(0, 2);
  let rest = argv.slice(2);
  if (rest[0] === 'help') {
    const topic = rest[1];
    if (topic !== undefined && !topic.startsWith('-') && !commands.includes(topic)) throw new CliError('USAGE', M.unknownCommand(topic));
    rest = topic !== undefined && !topic.startsWith('-') ? [topic, '--help'] : ['--help'];
  }
  const out: string[] = [];
  const raw: Record<string, string[]> = {};
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    if (token === '--') {
      out.push(...rest.slice(i));
      break;
    }
    if (token === '-') {
      out.push(STDIN_ARG);
      continue;
    }
    if (token === '--json') json = true;
    const long = /^--([a-z0-9][a-z0-9-]*)(?:=([\s\S]*))?$/i.exec(token);
    if (long !== null && values.has(long[1] as string)) {
      const name = long[1] as string;
      let value = long[2];
      if (value === undefined) {
        const next = rest[i + 1];
        if (next !== undefined && (!next.startsWith('-') || /^-\d/.test(next))) {
          value = next;
          i++;
        }
      }
      if (value !== undefined) {
        (raw[camel(name)] ??= []).push(value);
        out.push(`--${name}=${value}`);
        continue;
      }
    }
    out.push(token);
  }
  return { argv: [...head, ...out], raw, json };
}

/**
 * A stdout/stderr that stops writing, quietly, once the reader has gone (`ecs-pulse demo | head -1`):
 * the EPIPE is swallowed instead of crashing the process with a stack trace, and the command still
 * finishes (and cleans up) with its own exit code.
 */
function guardPipe(stream: Writer): { writer: Writer; closed: () => boolean } {
  const state = pipeState(stream);
  const writer: Writer = {
    write: (chunk: string) => (state.closed ? false : stream.write(chunk)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
  return { writer, closed: () => state.closed };
}

/** One listener per real stream, however often `main` runs in a process. */
const PIPES = new WeakMap<object, { closed: boolean }>();

function pipeState(stream: Writer): { closed: boolean } {
  const known = PIPES.get(stream);
  if (known !== undefined) return known;
  const state = { closed: false };
  PIPES.set(stream, state);
  const emitter = stream as Partial<NodeJS.WriteStream>;
  if (typeof emitter.on === 'function') {
    emitter.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') state.closed = true;
      else throw error;
    });
  }
  return state;
}

/** The exit-code section of every `--help`. */
function exitCodeHelp(): string {
  const rows: Array<[number, string]> = [
    [ExitCode.Ok, 'success'],
    [ExitCode.Failure, 'failure: terraform or the app failed, a file is missing, a stack has no outputs; runs compare --fail-on-regression found a worse figure'],
    [ExitCode.Usage, 'usage: unknown command or option, bad option value, no app found'],
    [ExitCode.MissingDependency, 'a required tool (terraform, ssh) or Alibaba Cloud credentials are missing'],
    [ExitCode.CloudApi, 'an Alibaba Cloud API call failed (after retries), wrong region, access denied'],
    [ExitCode.TestFailed, 'the remote test failed (tool error, unreadable result, timeout)'],
    [ExitCode.SlackFailed, 'Slack (or the sink) did not accept the message'],
  ];
  return rows.map(([code, text]) => `  ${code}  ${text}`).join('\n');
}

/**
 * Run the CLI with an argument vector (`process.argv` shape) and return the exit code.
 * Only `bin/ecs-pulse.js` turns that into `process.exit`.
 *
 * @example
 * ```ts
 * import { main } from '@ecs-pulse/cli';
 * const code = await main(['node', 'ecs-pulse', 'synth', '--app', './infra']);
 * ```
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const out = guardPipe(options.stdout ?? process.stdout);
  const err = guardPipe(options.stderr ?? process.stderr);
  const stdout = out.writer;
  const stderr = err.writer;
  const env = options.env ?? process.env;
  const common: CommonOptions = { stdout, stderr, env, ...(options.cwd !== undefined && { cwd: options.cwd }) };
  const cli = cac('ecs-pulse');
  let raw: Record<string, string[]> = {};
  define(cli, (action) => async (...a: unknown[]) => {
    const parsed = (a[a.length - 1] ?? {}) as Opts;
    const opts: Opts = { ...parsed };
    for (const [name, values] of Object.entries(raw)) if (name in opts) opts[name] = values.length === 1 ? values[0] : values;
    return action(a.slice(0, -1), opts, { ...common, json: opts.json === true });
  });
  cli.help((sections) => [...sections, { title: 'Exit codes', body: exitCodeHelp() }]);
  cli.version(version());

  let json = argv.includes('--json');
  const original = console.log;
  const toStdout = (...parts: unknown[]): void => void stdout.write(`${parts.map(String).join(' ')}\n`);
  try {
    const prepared = prepareArgv(argv, valueOptions(cli), cli.commands.map((c) => c.name));
    raw = prepared.raw;
    json = prepared.json;
    // cac prints help and version with console.log: send it to our stdout.
    console.log = toStdout;
    try {
      cli.parse(prepared.argv, { run: false });
    } finally {
      console.log = original;
    }
    if (cli.options.help === true || cli.options.version === true) return ExitCode.Ok;
    if (cli.matchedCommand === undefined) {
      const first = cli.args[0];
      if (first !== undefined) throw new CliError('USAGE', M.unknownCommand(String(first)));
      const unknown = Object.keys(cli.options).filter((k) => !['--', 'help', 'h', 'version', 'v'].includes(k));
      if (unknown.length > 0) throw new CliError('USAGE', M.unknownOption(unknown[0] as string));
      console.log = toStdout;
      try {
        cli.outputHelp();
      } finally {
        console.log = original;
      }
      return ExitCode.Usage;
    }
    const declared = cli.matchedCommand.args.length;
    // a variadic last argument (`[...refs]`) takes any number
    const variadic = cli.matchedCommand.args.some((arg) => arg.variadic);
    if (!variadic && cli.args.length > declared) {
      const extra = String(cli.args[declared]);
      throw new CliError('USAGE', M.extraArgument(cli.matchedCommand.name, extra === STDIN_ARG ? '-' : extra, cli.matchedCommand.rawName));
    }
    await cli.runMatchedCommand();
    return ExitCode.Ok;
  } catch (error) {
    return report(error, stderr, env, json ? stdout : undefined);
  }
}

/**
 * Print an error (`ecs-pulse: <message> [CODE]` on stderr) and return its exit code. With `--json`,
 * stdout also gets `{"error":{"code","exitCode","message"}}`, so a script reading stdout sees the failure.
 */
function report(error: unknown, stderr: Writer, env: NodeJS.ProcessEnv, jsonOut: Writer | undefined): number {
  const color = colorEnabled(stderr, env);
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  let code: string;
  let exitCode: number;
  let message: string;
  if (CliError.isCliError(error)) {
    code = error.code;
    exitCode = error.exitCode;
    message = redact(error.message);
    stderr.write(`${red('ecs-pulse:')} ${message} ${dim(`[${code}]`)}\n`);
  } else if (error instanceof Error && error.name === 'CACError') {
    code = 'USAGE';
    exitCode = ExitCode.Usage;
    message = `${redact(error.message)}. Run with --help for usage.`;
    stderr.write(`${red('ecs-pulse:')} ${redact(error.message)} ${dim('[USAGE]')} Run with --help for usage.\n`);
  } else {
    code = 'UNEXPECTED';
    exitCode = ExitCode.Failure;
    message = redact(error instanceof Error ? error.message : String(error));
    stderr.write(`${red('ecs-pulse: unexpected error:')} ${message}\n`);
    if (env.ECS_PULSE_DEBUG && error instanceof Error && error.stack) stderr.write(`${redact(error.stack)}\n`);
  }
  jsonOut?.write(`${JSON.stringify({ error: { code, exitCode, message } })}\n`);
  return exitCode;
}

