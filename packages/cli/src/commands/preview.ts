import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../errors.js';
import { colorEnabled, resolveIo, type CommonOptions } from '../io.js';
import { redact } from '../redact.js';

/**
 * Options of {@link preview}.
 *
 * @example
 * ```ts
 * await preview({ file: 'event.json', json: true });
 * ```
 */
export interface PreviewOptions extends CommonOptions {
  /**
   * The payload file: a JSON event, an EventBridge batch, a form-urlencoded metric callback, or an FC 3.0
   * HTTP-trigger envelope; `-` reads it from `stdin`. Give `file` or `sample`.
   * @default - none (then `sample` is required)
   */
  readonly file?: string;
  /**
   * The name of a sample bundled with the CLI (a file of `samples/demo/` without its extension, e.g.
   * `cms-event-ecs-instance-statechange-stopped`); `list` prints the names.
   * @default - none
   */
  readonly sample?: string;
  /** Where `file: '-'` is read from. @default process.stdin */
  readonly stdin?: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** The `Content-Type` the payload would arrive with. @default - detected from the payload */
  readonly contentType?: string;
  /** Environment label in the message footer, e.g. `prod`. @default - none */
  readonly environment?: string;
  /** Time zone for times in the terminal rendering (IANA name). @default - `TZ`, else UTC */
  readonly timeZone?: string;
}

/**
 * Result of {@link preview} (also its `--json` output).
 *
 * @example
 * ```ts
 * const { blockKitBuilderUrl } = await preview({ file: 'event.json' });
 * ```
 */
export interface PreviewResult {
  /** Absolute path of the file (`-` for stdin). */
  readonly file: string;
  /** The input family the parser recognised (`cloudmonitor-event`, `eventbridge`, `metric-alarm`, `http-trigger(<inner family>)`, ...). */
  readonly family: string;
  /** Alerts in the payload (a batch or digest has several). */
  readonly alerts: number;
  /** Their severities, in order. */
  readonly severities: readonly string[];
  /** The Slack message the forwarder would post (Block Kit JSON). */
  readonly message: unknown;
  /** Block Kit Builder link that opens the message (needs a browser and a Slack login). */
  readonly blockKitBuilderUrl: string;
}

const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The payload samples bundled with the CLI (`<package>/samples/demo`), whether run from dist/ or src/. */
function samplesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'samples', 'demo');
}

/** Names of the bundled samples (file names without `.json` / `.form.txt`). @internal */
export function sampleNames(): Array<{ readonly name: string; readonly file: string }> {
  const dir = samplesDir();
  return readdirSync(dir)
    .filter((f) => f !== 'manifest.json' && (f.endsWith('.json') || f.endsWith('.txt')))
    .sort()
    .map((f) => ({ name: f.replace(/(\.form)?\.(json|txt)$/, ''), file: path.join(dir, f) }));
}

async function readStdin(stdin: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_FILE_BYTES) throw new CliError('FILE_NOT_FOUND', T.tooLarge('stdin', size));
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

const T = {
  unreadable: (file: string, code: string) =>
    `Cannot read ${file} (${code}). Pass the path of a payload file: a CloudMonitor or EventBridge event (.json), a metric-alarm callback body (form-urlencoded), or an FC 3.0 HTTP-trigger envelope.`,
  tooLarge: (file: string, bytes: number) => `${file} is ${bytes} bytes; preview reads payload files up to ${MAX_FILE_BYTES} bytes.`,
  notADirectory: (file: string) =>
    `${file} is a directory. Pass one payload file, or a bundled sample with --sample <name> (ecs-pulse preview --sample list).`,
  unknownSample: (name: string, names: readonly string[]) => `No bundled sample "${name}". Samples: ${names.join(', ')}.`,
  emptyStdin: () => 'stdin was empty: pipe a payload into "ecs-pulse preview -", e.g. cat event.json | ecs-pulse preview -',
  badContentType: (type: string, message: string) => `--content-type ${JSON.stringify(type)} is not one the forwarder reads: ${message}`,
  unparseable: (file: string, code: string, message: string) =>
    `${file} is not a payload the forwarder accepts [${code}]: ${message}`,
  blockKit: 'Block Kit Builder (open in a browser, signed in to Slack):',
};

/**
 * `ecs-pulse preview <file>`: render a payload file as the Slack message the forwarder would post for it —
 * parsed by `@ecs-pulse/cloudmonitor-event-parser` (an FC 3.0 HTTP-trigger envelope is unwrapped first),
 * rendered by `@ecs-pulse/slack-notifier` (a batch becomes one digest, as in the function). Prints the
 * terminal rendering and a Block Kit Builder link, or with `--json` the Block Kit JSON.
 *
 * @throws CliError `FILE_NOT_FOUND` when the file cannot be read, `EVENT_INVALID` (exit 1) when the parser
 *   rejects it; the message carries the parser's error code, e.g. `[INVALID_JSON]`.
 *
 * @example
 * ```ts
 * import { preview } from '@ecs-pulse/cli';
 * const { message, blockKitBuilderUrl } = await preview({ file: 'event.json', json: true });
 * ```
 */
export async function preview(options: PreviewOptions): Promise<PreviewResult> {
  const io = resolveIo(options);
  if (options.sample === 'list') {
    const names = sampleNames();
    if (io.json) io.out(JSON.stringify(names, null, 2));
    else for (const s of names) io.out(`${s.name}  ${io.paint.dim(s.file)}`);
    return { file: '', family: 'list', alerts: 0, severities: [], message: undefined, blockKitBuilderUrl: '' };
  }
  let file: string;
  let shown: string;
  if (options.sample !== undefined) {
    const names = sampleNames();
    const found = names.find((s) => s.name === options.sample || path.basename(s.file) === options.sample);
    if (found === undefined) throw new CliError('USAGE', T.unknownSample(options.sample, names.map((s) => s.name)));
    file = found.file;
    shown = `sample ${found.name}`;
  } else if (options.file === undefined || options.file === '') {
    throw new CliError('USAGE', 'preview needs a payload: a file, - for stdin, or --sample <name>.');
  } else {
    file = options.file === '-' ? '-' : path.resolve(io.cwd, options.file);
    // Show the path as it was given: relative stays relative, absolute stays absolute.
    shown = options.file === '-' ? 'stdin' : options.file;
  }
  let bytes: Buffer;
  try {
    if (file === '-') {
      bytes = await readStdin(options.stdin ?? process.stdin);
      if (bytes.length === 0) throw new CliError('FILE_NOT_FOUND', T.emptyStdin());
    } else {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new CliError('FILE_NOT_FOUND', T.notADirectory(file));
      if (stat.size > MAX_FILE_BYTES) throw new CliError('FILE_NOT_FOUND', T.tooLarge(file, stat.size));
      bytes = readFileSync(file);
    }
  } catch (error) {
    if (CliError.isCliError(error)) throw error;
    throw new CliError('FILE_NOT_FOUND', T.unreadable(shown, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
  }

  const [parser, notifier] = await Promise.all([import('@ecs-pulse/cloudmonitor-event-parser'), import('@ecs-pulse/slack-notifier')]);
  const { EventParseError, detectFamily, parse, unwrapHttpTriggerEvent } = parser;
  const hint = options.contentType === undefined ? {} : { contentType: options.contentType };
  let family: string;
  let alerts;
  try {
    family = detectFamily(bytes, hint) ?? 'unknown';
    if (family === 'http-trigger') {
      // As the function does: unwrap the envelope, then parse the body by its content type.
      const request = unwrapHttpTriggerEvent(bytes);
      alerts = parse(request.body, request.contentType === undefined ? {} : { contentType: request.contentType });
      const inner = detectFamily(request.body, request.contentType === undefined ? {} : { contentType: request.contentType });
      if (inner !== undefined) family = `http-trigger(${inner})`;
    } else {
      alerts = parse(bytes, hint);
    }
  } catch (error) {
    if (EventParseError.isEventParseError(error)) {
      // A content type the user named that the parser refuses is a bad option value (exit 2), not a bad file.
      if (error.code === 'UNSUPPORTED_CONTENT_TYPE' && options.contentType !== undefined && error.message.includes('options.contentType')) {
        throw new CliError('USAGE', T.badContentType(options.contentType, error.message), { cause: error });
      }
      throw new CliError('EVENT_INVALID', T.unparseable(shown, error.code, error.message), { cause: error });
    }
    throw error;
  }

  const message = notifier.toSlackMessage(alerts, options.environment === undefined ? {} : { environment: options.environment });
  const url = notifier.blockKitBuilderUrl(message);
  const result: PreviewResult = {
    file,
    family,
    alerts: alerts.length,
    severities: alerts.map((a) => a.severity),
    message,
    blockKitBuilderUrl: url,
  };

  if (io.json) {
    io.out(redact(JSON.stringify(result, null, 2)));
    return result;
  }
  const timeZone = options.timeZone ?? (io.env.TZ !== undefined && io.env.TZ !== '' ? io.env.TZ : 'UTC');
  const { paint } = io;
  io.out(paint.dim(`${shown} · ${family} · ${alerts.length} alert${alerts.length === 1 ? '' : 's'}${alerts.length > 1 ? ' (one digest message)' : ''}`));
  io.out();
  io.out(redact(notifier.formatMessageAsText(message, { color: colorEnabled(io.stdout, io.env), timeZone })));
  io.out();
  io.out(paint.dim(T.blockKit));
  io.out(url);
  return result;
}
