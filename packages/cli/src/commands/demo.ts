import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SinkRequest, SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { pickStack, readManifest, resolveApp, synthApp, type CdktfApp } from '../app.js';
import { CliError, ExitCode } from '../errors.js';
import { ForwarderProcess, resolveForwarderBundle, type ForwarderReply } from '../forwarder-function.js';
import type { DemoThreadsResult } from './demo-threads.js';
import { colorEnabled, resolveIo, type CommonOptions, type Io } from '../io.js';
import { redact, registerSecret } from '../redact.js';

/**
 * How a sample reaches the function: the FC 3.0 handler, the FC 2.0 handler, or the FC 3.0 HTTP trigger.
 *
 * @example
 * ```ts
 * const viaHttp = (await demo()).steps.filter((s) => s.via === 'http');
 * ```
 */
export type DemoVia = 'fc3-event' | 'fc2-event' | 'http';

/**
 * What the function did with one payload.
 *
 * @example
 * ```ts
 * const failed = (await demo()).steps.filter((s) => s.outcome === 'failed');
 * ```
 */
export type DemoOutcome = 'delivered' | 'duplicate' | 'rejected' | 'dropped' | 'failed';

/**
 * Options of {@link demo}.
 *
 * @example
 * ```ts
 * await demo({ outdir: '/tmp/my-demo/cdktf.out', json: true });
 * ```
 */
export interface DemoOptions extends CommonOptions {
  /** The cdktf app to synthesize. @default - the repository's `examples/stress-test-environment` (skipped when absent) */
  readonly app?: string;
  /** Skip the synth step. @default false */
  readonly skipSynth?: boolean;
  /** Folder with `manifest.json` and the sample payloads. @default - the samples bundled with the CLI (`samples/demo`) */
  readonly samples?: string;
  /** A running Slack sink to deliver into (left running). @default - a new local sink, closed at the end */
  readonly sink?: SlackSink;
  /** The function's HTTP-trigger token. @default - 32 random characters */
  readonly httpToken?: string;
  /**
   * Where the synthesized stack goes; relative to `cwd`. It must be new, empty, or a folder an earlier demo
   * made (it holds {@link DEMO_MARKER}; only then is it emptied first). Any other non-empty folder is refused
   * with `USAGE` (exit 2): the CLI never deletes or empties a folder it did not create. It is kept at the end.
   * @default - `<os tmpdir>/ecs-pulse-demo-XXXXXX/cdktf.out`, a new folder per run (so demos running at the same time never share one), removed at the end unless `keep`
   */
  readonly outdir?: string;
  /**
   * Also replay one system-event lifecycle through a bot-token route into the sink's Slack Web API and print it
   * as a thread (the parent edited in place, its replies listed).
   * @default false
   */
  readonly threads?: boolean;
  /** Keep the temporary folder of the default `outdir` (its path is in the summary). @default false */
  readonly keep?: boolean;
  /**
   * A forwarder configuration file (the function's `ECS_PULSE_CONFIG` JSON: routes, filters, mentions),
   * relative to `cwd`. Every route's webhook becomes its own path on the local sink, so the summary shows
   * which route got which message; outcomes the manifest expects are then only checked for failures
   * (a filter may drop a sample on purpose).
   * @default - none (every alert goes to the default route)
   */
  readonly config?: string;
}

/**
 * The file `ecs-pulse demo` writes into an output folder it created; only a folder holding it is ever
 * emptied by a later demo.
 *
 * @example
 * ```ts
 * import { existsSync } from 'node:fs';
 * import path from 'node:path';
 * const mine = existsSync(path.join('out', DEMO_MARKER));
 * ```
 */
export const DEMO_MARKER = '.ecs-pulse-demo';

/**
 * The synth step of {@link DemoResult}.
 *
 * @example
 * ```ts
 * const { synth } = await demo();
 * if (synth.status === 'ok') console.log(synth.dir);
 * ```
 */
export interface DemoSynthResult {
  readonly status: 'ok' | 'skipped' | 'failed';
  /** Why the step was skipped or failed. */
  readonly reason?: string;
  /** The app folder. */
  readonly app?: string;
  /** The stack name. */
  readonly stack?: string;
  /** Folder holding `cdk.tf.json`. */
  readonly dir?: string;
  /** Resources in the stack. */
  readonly resources: number;
  /** Data sources in the stack. */
  readonly dataSources: number;
  /** Resources by Terraform type. */
  readonly resourceTypes: Readonly<Record<string, number>>;
  /**
   * Problems found by the provider checker (`path: message [CODE]`): the schema, and the provider's own value
   * validators (enums, ranges, lengths, patterns, JSON, conflicting attributes, ...). Any of them fails the step.
   */
  readonly schemaIssues: readonly string[];
  /** Deprecations the provider would warn about at plan (`path: message [CODE]`); they do not fail the step. */
  readonly schemaWarnings: readonly string[];
  readonly ms: number;
}

/**
 * One replayed payload.
 *
 * @example
 * ```ts
 * for (const step of (await demo()).steps) console.log(step.title, step.outcome, step.ms);
 * ```
 */
export interface DemoStep {
  readonly title: string;
  readonly file: string;
  readonly via: DemoVia;
  /** What the manifest expects. */
  readonly expect: DemoOutcome;
  /** What happened. */
  readonly outcome: DemoOutcome;
  /** Events in the payload (a batch counts each event). */
  readonly eventsIn: number;
  /** Slack messages the sink accepted for this payload. */
  readonly messages: number;
  /** Messages by route name (`default` is `SLACK_WEBHOOK_URL`), in route order. */
  readonly routes: Readonly<Record<string, number>>;
  /** HTTP status (HTTP trigger). */
  readonly statusCode?: number;
  /** Error code: the function's answer (`unauthorized`, parser codes) or the dropped input's parser code. */
  readonly errorCode?: string;
  readonly ms: number;
}

/**
 * A refused payload, for the summary.
 *
 * @example
 * ```ts
 * for (const reject of (await demo()).rejects) console.log(reject);
 * ```
 */
export interface DemoReject {
  readonly title: string;
  readonly outcome: 'rejected' | 'dropped' | 'failed';
  readonly statusCode?: number;
  readonly errorCode?: string;
}

/**
 * Result of {@link demo} (also its `--json` output).
 *
 * @example
 * ```ts
 * const result: DemoResult = await demo();
 * console.log(result.steps.length, result.rejects.length);
 * ```
 */
export interface DemoResult {
  readonly synth: DemoSynthResult;
  /** Payloads replayed (function invocations). */
  readonly invocations: number;
  readonly eventsIn: number;
  readonly messagesOut: number;
  /** Redeliveries the function suppressed. */
  readonly duplicates: number;
  readonly rejects: readonly DemoReject[];
  /** Steps whose outcome differed from the manifest's expectation. */
  readonly unexpected: readonly string[];
  readonly steps: readonly DemoStep[];
  /** The Slack messages the sink accepted, in order (Block Kit JSON). */
  readonly messages: readonly unknown[];
  /** With `threads`: the lifecycle replayed as a thread. */
  readonly threads?: DemoThreadsResult;
  /** Messages by route over the whole run (`--config`; else only `default`). */
  readonly routes: Readonly<Record<string, number>>;
  /** The `--config` file used (absolute). */
  readonly config?: string;
  readonly ms: number;
}

interface ManifestStep {
  readonly title: string;
  readonly file: string;
  readonly via: DemoVia;
  readonly contentType?: string;
  readonly token?: 'valid' | 'wrong' | 'none';
  readonly expect: DemoOutcome;
}

const EXAMPLE = path.join('examples', 'stress-test-environment');
const VIAS: readonly DemoVia[] = ['fc3-event', 'fc2-event', 'http'];
const OUTCOMES: readonly DemoOutcome[] = ['delivered', 'duplicate', 'rejected', 'dropped', 'failed'];

const T = {
  title: 'ecs-pulse demo: the whole alert path, offline (no cloud account, no Slack workspace)',
  synthStart: (dir: string) => `Synthesizing ${dir}`,
  synthOk: (stack: string, r: number, d: number, issues: number, warnings: number, ms: number) =>
    `Synthesized stack ${stack}: ${r} resources, ${d} data sources; provider schema check: ${issues === 0 ? 'no issues' : `${issues} issue${issues === 1 ? '' : 's'}`}` +
    `${warnings === 0 ? '' : `, ${warnings} deprecation warning${warnings === 1 ? '' : 's'}`} (${seconds(ms)})`,
  synthSkipped: (why: string) => `Synth skipped: ${why}`,
  noExample: () =>
    'the example app (examples/stress-test-environment) is not here: ecs-pulse runs outside a clone of the repository. Pass --app <dir> to synthesize your own app.',
  sinkStart: () => 'Starting the local Slack sink',
  sinkOk: () => 'Local Slack sink listening on 127.0.0.1 (validates every message against Slack limits)',
  fnStart: () => 'Loading the bundled forwarder function (cold start in a child process)',
  fnOk: (file: string) => `Function loaded: ${file}`,
  badSamples: (dir: string, why: string) => `The demo samples in ${dir} are unusable: ${why}. Reinstall @ecs-pulse/cli or pass --samples <dir>.`,
  outdirNotOurs: (dir: string) =>
    `--outdir ${dir} is not empty and was not made by ecs-pulse demo (it has no ${DEMO_MARKER} file). The demo never deletes or empties a folder it did not create: pass a new or empty folder, or leave --outdir out.`,
  outdirNotADir: (dir: string) => `--outdir ${dir} is a file, not a folder. Pass a new or empty folder.`,
  kept: (dir: string) => `kept ${dir}`,
  removedTemp: (dir: string) => `removed ${dir} (--keep keeps it)`,
  configUnreadable: (file: string) => `Cannot read the forwarder config ${file}. Pass the file holding the function's ECS_PULSE_CONFIG JSON.`,
  configNotJson: (file: string, why: string) => `${file} is not JSON (${why}). It must hold the function's ECS_PULSE_CONFIG JSON, e.g. {"routes":[…]}.`,
  configRejected: (file: string, why: string) => `The forwarder refused the config in ${file}: ${why}`,
  failed: (list: readonly string[]) =>
    `The demo did not behave as expected:\n${list.map((l) => `  - ${l}`).join('\n')}\nRun with --json for the details of every step.`,
};

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function packageDir(): string {
  // dist/<chunk>.js or src/commands/demo.ts → the package folder
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function findExample(io: Io): string | undefined {
  const candidates = [path.join(io.cwd, EXAMPLE), path.resolve(packageDir(), '..', '..', EXAMPLE)];
  return candidates.find((dir) => existsSync(path.join(dir, 'cdktf.json')));
}

// --- step 1: synth -----------------------------------------------------------------------------------

interface CheckerIssue {
  path: string;
  code: string;
  message: string;
}

interface Checker {
  /** `warnings` exists since the value validators (older checkers return issues only). */
  checkStack(synth: unknown): { issues: readonly CheckerIssue[]; warnings?: readonly CheckerIssue[] };
}

/** The schema checker of the provider bindings the app itself uses (so the check matches its version). */
async function loadChecker(appDir: string): Promise<Checker | undefined> {
  const spec = '@ecs-pulse/alicloud-provider/testing';
  for (const base of [path.join(appDir, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const resolved = createRequire(base).resolve(spec);
      return (await import(pathToFileURL(resolved).href)) as Checker;
    } catch {
      // try the next base
    }
  }
  return undefined;
}

function countBlocks(section: unknown): { total: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let total = 0;
  if (typeof section === 'object' && section !== null) {
    for (const [type, named] of Object.entries(section)) {
      const n = typeof named === 'object' && named !== null ? Object.keys(named).length : 0;
      byType[type] = n;
      total += n;
    }
  }
  return { total, byType };
}

/**
 * Make the synth output folder ready without touching anything the CLI did not create: a missing folder
 * is created, an empty one used, one with {@link DEMO_MARKER} emptied; anything else is refused.
 */
function prepareOutdir(outdir: string): void {
  if (existsSync(outdir)) {
    if (!statSync(outdir).isDirectory()) throw new CliError('USAGE', T.outdirNotADir(outdir));
    const entries = readdirSync(outdir);
    if (entries.length > 0) {
      if (!entries.includes(DEMO_MARKER)) throw new CliError('USAGE', T.outdirNotOurs(outdir));
      // Ours: remove what an earlier demo wrote, entry by entry (the folder itself stays).
      for (const entry of entries) rmSync(path.join(outdir, entry), { recursive: true, force: true });
    }
  }
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, DEMO_MARKER), 'This folder was created by `ecs-pulse demo`; a later demo may empty it.\n');
}

async function synthStep(options: DemoOptions, io: Io, makeOutdir: () => string): Promise<DemoSynthResult> {
  const started = Date.now();
  const empty = { resources: 0, dataSources: 0, resourceTypes: {}, schemaIssues: [] as string[], schemaWarnings: [] as string[] };
  if (options.skipSynth === true) return { status: 'skipped', reason: '--skip-synth', ...empty, ms: 0 };
  let app: CdktfApp;
  if (options.app !== undefined) app = resolveApp(options.app, io);
  else {
    const dir = findExample(io);
    if (dir === undefined) {
      io.err(io.paint.yellow(T.synthSkipped(T.noExample())));
      return { status: 'skipped', reason: T.noExample(), ...empty, ms: 0 };
    }
    app = resolveApp(dir, io);
  }
  const outdir = makeOutdir();
  const progress = io.progress(T.synthStart(app.dir));
  try {
    const stacks = await synthApp({ ...app, outdir }, io);
    const stack = pickStack(stacks, undefined);
    const json = JSON.parse(readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as { resource?: unknown; data?: unknown };
    const resources = countBlocks(json.resource);
    const data = countBlocks(json.data);
    const checker = await loadChecker(app.dir);
    const line = (i: CheckerIssue) => redact(`${i.path}: ${i.message} [${i.code}]`);
    const checked = checker?.checkStack(json);
    const schemaIssues = checked
      ? checked.issues.map(line)
      : ['the schema checker @ecs-pulse/alicloud-provider/testing is not installed next to the app [CHECKER_MISSING]'];
    const schemaWarnings = (checked?.warnings ?? []).map(line);
    const ms = Date.now() - started;
    const summary = T.synthOk(stack.name, resources.total, data.total, schemaIssues.length, schemaWarnings.length, ms);
    if (schemaIssues.length === 0) progress.succeed(summary);
    else progress.fail(summary);
    for (const issue of schemaIssues) io.err(`  ${io.paint.red(issue)}`);
    for (const warning of schemaWarnings) io.err(`  ${io.paint.yellow(warning)}`);
    return {
      status: schemaIssues.length === 0 ? 'ok' : 'failed',
      ...(schemaIssues.length > 0 && { reason: 'the provider schema check found issues' }),
      app: app.dir,
      stack: stack.name,
      dir: stack.dir,
      resources: resources.total,
      dataSources: data.total,
      resourceTypes: resources.byType,
      schemaIssues,
      schemaWarnings,
      ms,
    };
  } catch (error) {
    progress.fail();
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'failed', reason: redact(reason), app: app.dir, ...empty, ms: Date.now() - started };
  }
}

// --- step 3: the function in a child process (../forwarder-function.ts) -----------------------------

// --- samples -----------------------------------------------------------------------------------------

function loadManifest(dir: string): ManifestStep[] {
  const file = path.join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new CliError('FILE_NOT_FOUND', T.badSamples(dir, `${file} is missing or not JSON`), { cause });
  }
  const steps = (raw as { steps?: unknown }).steps;
  if (!Array.isArray(steps) || steps.length === 0) throw new CliError('FILE_NOT_FOUND', T.badSamples(dir, 'manifest.json has no "steps"'));
  return steps.map((s: Partial<ManifestStep>, i) => {
    if (typeof s.title !== 'string' || typeof s.file !== 'string' || !VIAS.includes(s.via as DemoVia) || !OUTCOMES.includes(s.expect as DemoOutcome)) {
      throw new CliError('FILE_NOT_FOUND', T.badSamples(dir, `steps[${i}] needs title, file, via (${VIAS.join('|')}) and expect (${OUTCOMES.join('|')})`));
    }
    if (!existsSync(path.join(dir, s.file))) throw new CliError('FILE_NOT_FOUND', T.badSamples(dir, `steps[${i}].file ${s.file} does not exist`));
    return s as ManifestStep;
  });
}

/** The FC 3.0 HTTP-trigger request envelope, as the runtime hands it to the handler (a JSON Buffer). */
function httpEnvelope(body: Buffer, contentType: string | undefined, token: string | undefined, n: number): Buffer {
  const headers: Record<string, string> = { 'User-Agent': 'CloudMonitor-Callback', 'X-Forwarded-Proto': 'https', 'Content-Length': String(body.length) };
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  const now = Date.now();
  const envelope = {
    version: 'v1',
    rawPath: '/',
    body: body.toString('utf8'),
    isBase64Encoded: false,
    headers,
    queryParameters: token === undefined ? {} : { token },
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'demo-trigger.cn-hangzhou.fcapp.run',
      domainPrefix: 'demo-trigger',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '198.51.100.20', userAgent: 'CloudMonitor-Callback' },
      requestId: `1-${now.toString(16)}-http${String(n).padStart(8, '0')}`,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      timeEpoch: String(now),
    },
  };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

function countEvents(payload: Buffer, via: DemoVia): number {
  if (via === 'http') return 1;
  try {
    const v: unknown = JSON.parse(payload.toString('utf8'));
    return Array.isArray(v) ? v.length : 1;
  } catch {
    return 1;
  }
}

interface Summary {
  readonly alerts?: number;
  readonly delivered?: number;
  readonly duplicates?: number;
  readonly filtered?: number;
}

function classify(via: DemoVia, reply: ForwarderReply): { outcome: DemoOutcome; statusCode?: number; errorCode?: string } {
  if (!reply.ok) return { outcome: 'failed', errorCode: reply.error?.code ?? reply.error?.name ?? 'ERROR' };
  const byCounts = (s: Summary | undefined): DemoOutcome =>
    (s?.delivered ?? 0) > 0 ? 'delivered' : (s?.duplicates ?? 0) > 0 ? 'duplicate' : 'dropped';
  if (via === 'http') {
    const r = reply.result as { statusCode?: number; body?: string } | undefined;
    const statusCode = typeof r?.statusCode === 'number' ? r.statusCode : 0;
    let body: { error?: string; summary?: Summary } = {};
    try {
      body = JSON.parse(r?.body ?? '{}') as typeof body;
    } catch {
      body = {};
    }
    if (statusCode >= 200 && statusCode < 300) return { outcome: byCounts(body.summary), statusCode };
    return {
      outcome: statusCode >= 400 && statusCode < 500 ? 'rejected' : 'failed',
      statusCode,
      ...(body.error !== undefined && { errorCode: body.error }),
    };
  }
  const r = reply.result as { ok?: boolean; summary?: Summary; dropped?: string } | undefined;
  if (r?.ok === false) return { outcome: 'dropped', ...(r.dropped !== undefined && { errorCode: r.dropped }) };
  return { outcome: byCounts(r?.summary) };
}

// --- the command -------------------------------------------------------------------------------------

/**
 * `ecs-pulse demo`: the whole alert path offline. (1) Synthesizes the example stack (or `--app`) with the same
 * path as `ecs-pulse synth` and runs the provider schema checker on it; (2) starts the notifier's local Slack
 * sink; (3) cold-starts the REAL bundled forwarder function in a child process with `SLACK_WEBHOOK_URL` pointing
 * at the sink and a random `ECS_PULSE_HTTP_TOKEN`, and invokes it exactly as Function Compute does with the
 * bundled samples (system events, an EventBridge batch, metric-alarm callbacks through the HTTP trigger, a
 * redelivery, a wrong token, bad payloads); (4) prints every Slack message rendered for the terminal and a
 * summary. Secrets (the sink URL, the token) never appear in the output.
 *
 * @throws CliError `SUBPROCESS_FAILED` (exit 1) when the synth, the schema check or a step did not behave as
 *   expected (after printing the summary), `FILE_NOT_FOUND` when the samples are unusable.
 *
 * @example
 * ```ts
 * import { demo } from '@ecs-pulse/cli';
 * const result = await demo({ json: true });
 * console.log(result.messagesOut, result.rejects);
 * ```
 */
export async function demo(options: DemoOptions = {}): Promise<DemoResult> {
  const io = resolveIo(options);
  const started = Date.now();
  const samplesDir = path.resolve(io.cwd, options.samples ?? path.join(packageDir(), 'samples', 'demo'));
  const steps = loadManifest(samplesDir);
  const config = options.config === undefined ? undefined : readConfig(path.resolve(io.cwd, options.config));
  let tempRoot: string | undefined;
  const outdir = (): string => {
    if (options.outdir !== undefined) {
      const dir = path.resolve(io.cwd, options.outdir);
      prepareOutdir(dir);
      return dir;
    }
    tempRoot = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-demo-'));
    const dir = path.join(tempRoot, 'cdktf.out');
    prepareOutdir(dir);
    return dir;
  };
  try {
    return await run(options, io, steps, samplesDir, config, outdir, () => tempRoot, started);
  } finally {
    if (tempRoot !== undefined) {
      if (options.keep === true) io.err(io.paint.dim(T.kept(tempRoot)));
      else {
        rmSync(tempRoot, { recursive: true, force: true });
        io.err(io.paint.dim(T.removedTemp(tempRoot)));
      }
    }
  }
}

interface DemoConfig {
  readonly file: string;
  /** The parsed JSON, with every route's webhook still as the user wrote it. */
  readonly json: unknown;
}

function readConfig(file: string): DemoConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new CliError('FILE_NOT_FOUND', T.configUnreadable(file), { cause });
  }
  try {
    return { file, json: JSON.parse(text) as unknown };
  } catch (cause) {
    throw new CliError('USAGE', T.configNotJson(file, cause instanceof Error ? cause.message : String(cause)), { cause, showCause: false });
  }
}

/** Variables of the function's process that a route's `webhookUrlEnv` may not replace. */
const RESERVED_ENV: readonly string[] = ['SLACK_WEBHOOK_URL', 'ECS_PULSE_HTTP_TOKEN', 'ECS_PULSE_CONFIG', 'TZ', 'NODE_ENV', 'NODE_OPTIONS', 'PATH'];

/**
 * The user's config with every route's webhook pointed at its own path on the sink (a real webhook URL in
 * the file is never posted to): `webhookUrlEnv` routes get their variable, `webhookUrl` routes a replaced URL.
 */
function sinkRoutes(config: DemoConfig | undefined, origin: string): { configJson?: string; env: Record<string, string>; byPath: Map<string, string> } {
  const env: Record<string, string> = {};
  const byPath = new Map<string, string>();
  if (config === undefined) return { env, byPath };
  const json = config.json as { routes?: unknown };
  if (typeof json !== 'object' || json === null || !Array.isArray(json.routes)) return { configJson: JSON.stringify(config.json), env, byPath };
  const routes = json.routes.map((route: unknown, i) => {
    if (typeof route !== 'object' || route === null) return route;
    const r = route as { name?: unknown; webhookUrl?: unknown; webhookUrlEnv?: unknown };
    const name = typeof r.name === 'string' && r.name !== '' ? r.name : `routes[${i}]`;
    const sinkPath = `/services/TROUTE${i}/B${randomBytes(4).toString('hex').toUpperCase()}/${randomBytes(12).toString('hex')}`;
    byPath.set(sinkPath, name);
    registerSecret(origin + sinkPath);
    // A variable the function process itself needs is never overwritten (the function then reports it unset).
    if (typeof r.webhookUrlEnv === 'string' && !RESERVED_ENV.includes(r.webhookUrlEnv)) env[r.webhookUrlEnv] = origin + sinkPath;
    return typeof r.webhookUrl === 'string' ? { ...r, webhookUrl: origin + sinkPath } : r;
  });
  return { configJson: JSON.stringify({ ...json, routes }), env, byPath };
}

async function run(
  options: DemoOptions,
  io: Io,
  steps: readonly ManifestStep[],
  samplesDir: string,
  config: DemoConfig | undefined,
  outdir: () => string,
  tempRoot: () => string | undefined,
  started: number,
): Promise<DemoResult> {
  const color = colorEnabled(io.stdout, io.env);
  const { paint } = io;
  const timeZone = io.env.TZ !== undefined && io.env.TZ !== '' ? io.env.TZ : 'UTC';
  if (!io.json) io.out(paint.bold(T.title));

  // (1) synth
  const synth = await synthStep(options, io, outdir);
  if (synth.status === 'failed' && synth.schemaIssues.length === 0 && synth.reason) io.err(paint.red(synth.reason));

  // (2) the sink
  const { startSlackSink } = await import('@ecs-pulse/slack-notifier/testing');
  const { formatMessageAsText } = await import('@ecs-pulse/slack-notifier');
  const ownSink = options.sink === undefined;
  const sinkProgress = io.progress(T.sinkStart());
  const sink = options.sink ?? (await startSlackSink());
  sinkProgress.succeed(T.sinkOk());
  const token = options.httpToken ?? randomBytes(24).toString('base64url');
  const wrongToken = randomBytes(24).toString('base64url');
  registerSecret(sink.url);
  registerSecret(token);
  registerSecret(wrongToken);
  const routing = sinkRoutes(config, sink.origin);
  const defaultPath = new URL(sink.url).pathname;
  const routeOf = (p: string): string => routing.byPath.get(p) ?? (p === defaultPath ? 'default' : p);

  let fn: ForwarderProcess | undefined;
  let threads: DemoThreadsResult | undefined;
  let unexpectedThreads: string | undefined;
  const results: DemoStep[] = [];
  const firstMessage = sink.messages.length;
  const firstRequest = sink.requests.length;
  try {
    // (3) the function: a cold start with a deployed function's environment, nothing inherited.
    const fnProgress = io.progress(T.fnStart());
    let bundle: string;
    try {
      bundle = resolveForwarderBundle();
    } catch (error) {
      fnProgress.fail();
      throw error;
    }
    const env: Record<string, string> = {
      ...routing.env,
      SLACK_WEBHOOK_URL: sink.url,
      ECS_PULSE_HTTP_TOKEN: token,
      TZ: 'UTC',
      NODE_ENV: 'production',
      ...(routing.configJson !== undefined && { ECS_PULSE_CONFIG: routing.configJson }),
    };
    try {
      fn = (await ForwarderProcess.start(bundle, env)).fn;
    } catch (error) {
      fnProgress.fail();
      throw error;
    }
    fnProgress.succeed(T.fnOk(path.relative(io.cwd, bundle) || bundle));

    // (4) replay
    if (!io.json) io.out();
    let n = 0;
    for (const step of steps) {
      n++;
      const body = readFileSync(path.join(samplesDir, step.file));
      const tokenFor = step.token === 'wrong' ? wrongToken : step.token === 'none' ? undefined : token;
      const payload = step.via === 'http' ? httpEnvelope(Buffer.from(body.toString('utf8').trim(), 'utf8'), step.contentType, tokenFor, n) : body;
      const before = sink.messages.length;
      const beforeRequests = sink.requests.length;
      // The HTTP trigger hands the request envelope to the FC 3.0 handler.
      const reply = await fn.invoke(step.via === 'fc2-event' ? 'fc2-event' : 'fc3-event', payload);
      const { outcome, statusCode, errorCode } = classify(step.via, reply);
      if (config !== undefined && isConfigRefusal(reply, errorCode)) {
        throw new CliError('USAGE', T.configRejected(config.file, reply.error?.message ?? errorCode ?? 'INVALID_CONFIG'), { showCause: false });
      }
      const fresh = sink.messages.slice(before);
      const freshRoutes = acceptedRoutes(sink.requests.slice(beforeRequests), routeOf);
      const result: DemoStep = {
        title: step.title,
        file: step.file,
        via: step.via,
        expect: step.expect,
        outcome,
        eventsIn: countEvents(body, step.via),
        messages: fresh.length,
        routes: countBy(freshRoutes),
        ...(statusCode !== undefined && { statusCode }),
        ...(errorCode !== undefined && { errorCode }),
        ms: reply.ms,
      };
      results.push(result);
      if (!io.json) {
        printStep(io, result, n, steps.length, fresh, (m) => formatMessageAsText(m as never, { color, timeZone }), config !== undefined ? freshRoutes : undefined);
      }
    }
    // (5) --threads: a lifecycle through a bot-token route (demo-threads.ts)
    if (options.threads === true) {
      const { demoThreads } = await import('./demo-threads.js');
      threads = await demoThreads(io, sink, resolveForwarderBundle(), samplesDir);
    }
  } finally {
    await fn?.stop();
    if (ownSink) await sink.close();
  }
  if (threads !== undefined && (threads.parents !== 1 || threads.replies.length !== 2 || threads.edits !== 2 || threads.failed > 0)) {
    unexpectedThreads = `--threads: expected 1 parent, 2 replies and 2 edits; got ${threads.parents} parent(s), ${threads.replies.length} replies, ${threads.edits} edits, ${threads.failed} failed`;
  }

  const messages = sink.messages.slice(firstMessage);
  const rejects: DemoReject[] = results
    .filter((r): r is DemoStep & { outcome: DemoReject['outcome'] } => r.outcome === 'rejected' || r.outcome === 'dropped' || r.outcome === 'failed')
    .map((r) => ({ title: r.title, outcome: r.outcome, ...(r.statusCode !== undefined && { statusCode: r.statusCode }), ...(r.errorCode !== undefined && { errorCode: r.errorCode }) }));
  // With the user's config a filter may drop, or a route not take, a sample on purpose: only failures count then.
  const unexpected = results
    .filter((r) => (config === undefined ? r.outcome !== r.expect : r.outcome === 'failed' && r.expect !== 'failed'))
    .map((r) => `${r.title}: expected ${r.expect}, got ${r.outcome}${r.statusCode ? ` ${r.statusCode}` : ''}${r.errorCode ? ` ${r.errorCode}` : ''}`);
  if (synth.status === 'failed') unexpected.unshift(`synth: ${synth.reason ?? 'failed'}`);
  if (unexpectedThreads !== undefined) unexpected.push(unexpectedThreads);
  const result: DemoResult = {
    synth,
    invocations: results.length,
    eventsIn: results.reduce((s, r) => s + r.eventsIn, 0),
    messagesOut: messages.length,
    duplicates: results.filter((r) => r.outcome === 'duplicate').length,
    rejects,
    unexpected,
    steps: results,
    messages,
    ...(threads !== undefined && { threads }),
    routes: countBy(acceptedRoutes(sink.requests.slice(firstRequest), routeOf)),
    ...(config !== undefined && { config: config.file }),
    ms: Date.now() - started,
  };

  if (io.json) io.out(redact(JSON.stringify(result, null, 2)));
  else printSummary(io, result, tempRoot() !== undefined && options.keep !== true);
  if (unexpected.length > 0) throw new CliError('SUBPROCESS_FAILED', T.failed(unexpected), { exitCode: ExitCode.Failure });
  return result;
}

/** The route of each request the sink accepted (2xx), in order. */
function acceptedRoutes(requests: readonly SinkRequest[], routeOf: (path: string) => string): string[] {
  return requests.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300).map((r) => routeOf(r.path));
}

function countBy(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

/** The function refused its configuration (it fails closed: every invocation fails with INVALID_CONFIG). */
function isConfigRefusal(reply: ForwarderReply, errorCode: string | undefined): boolean {
  if (errorCode === 'INVALID_CONFIG' || reply.error?.code === 'INVALID_CONFIG' || reply.error?.name === 'ForwarderConfigError') return true;
  const r = reply.result as { statusCode?: number; body?: string } | undefined;
  return r?.statusCode === 500 && typeof r.body === 'string' && r.body.includes('INVALID_CONFIG');
}

function describeVia(via: DemoVia): string {
  return via === 'http' ? 'FC 3.0 HTTP trigger' : via === 'fc2-event' ? 'FC 2.0 legacyHandler' : 'FC 3.0 handler';
}

function printStep(
  io: Io,
  r: DemoStep,
  n: number,
  total: number,
  messages: readonly unknown[],
  render: (m: unknown) => string,
  routes: readonly string[] | undefined,
): void {
  const { paint } = io;
  // With the user's config, a sample filtered out or not routed is what the config asked for.
  const expected = r.outcome === r.expect || (routes !== undefined && r.outcome !== 'failed');
  const mark = !expected ? paint.red('✖') : r.outcome === 'delivered' ? paint.green('✔') : paint.yellow('●');
  io.out(`${mark} ${paint.dim(`${String(n).padStart(2)}/${total}`)} ${paint.bold(r.title)}`);
  const parts = [
    `${describeVia(r.via)} · ${r.file}`,
    `${r.eventsIn} event${r.eventsIn === 1 ? '' : 's'} in`,
    r.outcome === 'delivered'
      ? `${r.messages} Slack message${r.messages === 1 ? '' : 's'}`
      : r.outcome === 'duplicate'
        ? 'duplicate suppressed (already delivered)'
        : `${r.outcome}${r.statusCode !== undefined ? ` ${r.statusCode}` : ''}${r.errorCode !== undefined ? ` ${r.errorCode}` : ''}${r.outcome === r.expect ? ' (as expected)' : expected ? ' (by your config)' : ` (expected ${r.expect})`}`,
    `${r.ms} ms`,
  ];
  io.out(`        ${paint.dim(parts.join(' · '))}`);
  for (const [i, m] of messages.entries()) {
    if (routes !== undefined) io.out(`        ${paint.cyan(`→ route ${routes[i] ?? '?'}`)}`);
    io.out(
      redact(render(m))
        .split('\n')
        .map((line) => `        ${line}`)
        .join('\n'),
    );
  }
  io.out();
}

function printSummary(io: Io, r: DemoResult, tempRemoved: boolean): void {
  const { paint } = io;
  const s = r.synth;
  const rows: Array<[string, string]> = [];
  rows.push([
    'synth',
    s.status === 'skipped'
      ? paint.yellow(`skipped (${s.reason})`)
      : s.status === 'failed'
        ? paint.red(`failed: ${s.reason}`)
        : `${s.stack}: ${s.resources} resources, ${s.dataSources} data sources, schema check ${paint.green('0 issues')} → ${s.dir}${tempRemoved ? ' (temporary: removed at the end; --keep keeps it)' : ''}`,
  ]);
  rows.push(['events in', `${r.eventsIn} in ${r.invocations} invocations`]);
  rows.push(['messages out', `${r.messagesOut} (valid Block Kit, accepted by the local Slack sink)`]);
  if (r.config !== undefined) {
    rows.push(['config', r.config]);
    const routes = Object.entries(r.routes);
    rows.push(['routes', routes.length === 0 ? 'no message reached any route' : routes.map(([name, count]) => `${name} ${count}`).join(', ')]);
  }
  rows.push(['duplicates', `${r.duplicates} suppressed`]);
  rows.push([
    'rejects',
    r.rejects.length === 0
      ? 'none'
      : r.rejects.map((x) => `${x.statusCode ?? x.outcome} ${x.errorCode ?? ''}`.trim()).join(', '),
  ]);
  rows.push(['time', seconds(r.ms)]);
  io.out(paint.bold('Summary'));
  for (const [k, v] of rows) io.out(`  ${paint.dim(k.padEnd(12))} ${redact(v)}`);
  if (r.unexpected.length === 0) {
    io.out();
    io.out(paint.green('The alert path works end to end. Next: ecs-pulse preview <file>, or deploy it: ecs-pulse deploy (see the README).'));
  }
}
