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
    .option('--outdir <dir>', 'where the synthesized stack goes, emptied first (default: a new <tmp>/ecs-pulse-demo-XXXXXX/cdktf.out)')
    .option('--json', 'print the summary as JSON')
    .example('ecs-pulse demo')
    .action(run(async (_a, o, c) => {
      const { demo } = await import('./commands/demo.js');
      return demo({
        ...c,
        ...(str(o.app) && { app: str(o.app) }),
        ...(str(o.samples) && { samples: str(o.samples) }),
        ...(str(o.outdir) && { outdir: str(o.outdir) }),
        skipSynth: o.skipSynth === true,
      });
    }));
  // `preview <file>` — render a payload file as the Slack message it would become.
  cli
    .command('preview <file>', 'Render a payload file as the Slack message it would become (terminal + Block Kit Builder link)')
    .option('--content-type <type>', 'Content-Type the payload arrives with (default: detected)')
    .option('--environment <label>', 'environment label in the message footer, e.g. prod')
    .option('--json', 'print the Block Kit JSON, the family and the Block Kit Builder link')
    .example('ecs-pulse preview event.json --json')
    .action(run(async (a, o, c) => {
      const { preview } = await import('./commands/preview.js');
      return preview({
        ...c,
        file: String(a[0]),
        ...(str(o.contentType) && { contentType: str(o.contentType) }),
        ...(str(o.environment) && { environment: str(o.environment) }),
      });
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
      .option('--out <dir>', 'folder for raw outputs (default: ecs-pulse-results)');
  const hostArgs = (o: Opts) => ({
    ...appOpts(o),
    ...(str(o.server) && { server: str(o.server) }),
    ...(o.client !== undefined && { client: list(o.client) }),
    ...(str(o.region) && { region: str(o.region) }),
    metrics: o.metrics === true,
    ...(o.slack !== undefined && { slack: typeof o.slack === 'string' ? o.slack : o.slack === true }),
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
      const { stressRun } = await import('./commands/stress.js');
      return stressRun({
        ...c,
        ...hostArgs(o),
        ...(o.cpu !== undefined && { cpu: Number(o.cpu) }),
        ...(o.vm !== undefined && { vm: Number(o.vm) }),
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
      const { netRun } = await import('./commands/net.js');
      return netRun({
        ...c,
        ...hostArgs(o),
        ...(str(o.tests) && { tests: (str(o.tests) ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '') as Array<'bandwidth'> }),
        ...(str(o.mode) && { mode: str(o.mode) as 'concurrent' }),
        ...(o.ppsStreams !== undefined && { ppsStreams: Number(o.ppsStreams) }),
        ...(o.sockperfPort !== undefined && { sockperfPort: Number(o.sockperfPort) }),
        tcp: o.tcp === true,
        ...(str(o.direction) && { direction: str(o.direction) as 'up' }),
        ...(o.parallel !== undefined && { parallel: Number(o.parallel) }),
        udp: o.udp === true,
        ...(str(o.bandwidth) && { bandwidth: str(o.bandwidth) }),
        ...(duration !== undefined && { duration }),
        ...(o.port !== undefined && { port: Number(o.port) }),
      });
    }));

  withApp(cli.command('send-test-event [file]', 'Send a payload (default: a bundled sample event) to a Slack webhook or to the deployed function'))
    .option('--webhook <url>', 'render with the parser + notifier and post to this Slack webhook')
    .option('--fc-version <2|3>', 'FC generation of the deployed function (default: stack output, else 3)')
    .option('--function <name>', 'function name (default: stack output; FC 2.0: ECSMonitoringFunction)')
    .option('--service <name>', 'FC 2.0 service name (default: stack output, else ECSMonitoringService)')
    .option('--qualifier <q>', 'version or alias to invoke')
    .option('--region <region>', 'region id (default: stack output or ALIBABA_CLOUD_REGION_ID)')
    .option('--account-id <id>', 'account id for the FC endpoint (default: stack output or ALIBABA_CLOUD_ACCOUNT_ID)')
    .action(run(async (a, o, c) => {
      const { sendTestEvent } = await import('./commands/send-test-event.js');
      const v = o.fcVersion === undefined ? undefined : Number(o.fcVersion);
      if (v !== undefined && v !== 2 && v !== 3) throw new CliError('USAGE', M.badChoice('fc-version', o.fcVersion, ['2', '3']));
      return sendTestEvent({
        ...c,
        ...appOpts(o),
        ...(str(a[0]) && { file: str(a[0]) }),
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
      const m = await import('./commands/events.js');
      const base = {
        ...c,
        ...(str(o.since) && { since: str(o.since) }),
        ...(str(o.product) && { product: str(o.product) }),
        ...(o.level !== undefined && { level: list(o.level) }),
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
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const common: CommonOptions = { stdout, stderr, env, ...(options.cwd !== undefined && { cwd: options.cwd }) };
  const cli = cac('ecs-pulse');
  define(cli, (action) => async (...a: unknown[]) => {
    const opts = (a[a.length - 1] ?? {}) as Opts;
    return action(a.slice(0, -1), opts, { ...common, json: opts.json === true });
  });
  cli.help();
  cli.version(version());

  const original = console.log;
  try {
    // cac prints help and version with console.log: send it to our stdout.
    console.log = (...parts: unknown[]) => void stdout.write(`${parts.map(String).join(' ')}\n`);
    try {
      cli.parse([...argv], { run: false });
    } finally {
      console.log = original;
    }
    if (cli.options.help === true || cli.options.version === true) return ExitCode.Ok;
    if (cli.matchedCommand === undefined) {
      const first = cli.args[0];
      if (first !== undefined) throw new CliError('USAGE', M.unknownCommand(String(first)));
      console.log = (...parts: unknown[]) => void stdout.write(`${parts.map(String).join(' ')}\n`);
      try {
        cli.outputHelp();
      } finally {
        console.log = original;
      }
      return ExitCode.Usage;
    }
    await cli.runMatchedCommand();
    return ExitCode.Ok;
  } catch (error) {
    return report(error, stderr, env);
  }
}

function report(error: unknown, stderr: Writer, env: NodeJS.ProcessEnv): number {
  const color = colorEnabled(stderr, env);
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  if (CliError.isCliError(error)) {
    stderr.write(`${red('ecs-pulse:')} ${redact(error.message)} ${dim(`[${error.code}]`)}\n`);
    return error.exitCode;
  }
  if (error instanceof Error && error.name === 'CACError') {
    stderr.write(`${red('ecs-pulse:')} ${redact(error.message)} ${dim('[USAGE]')} Run with --help for usage.\n`);
    return ExitCode.Usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`${red('ecs-pulse: unexpected error:')} ${redact(message)}\n`);
  if (env.ECS_PULSE_DEBUG && error instanceof Error && error.stack) stderr.write(`${redact(error.stack)}\n`);
  return ExitCode.Failure;
}

