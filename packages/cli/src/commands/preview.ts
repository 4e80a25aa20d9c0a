import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
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
  /** The payload file: a JSON event, an EventBridge batch, a form-urlencoded metric callback, or an FC 3.0 HTTP-trigger envelope. */
  readonly file: string;
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
  /** Absolute path of the file. */
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

const T = {
  unreadable: (file: string, code: string) =>
    `Cannot read ${file} (${code}). Pass the path of a payload file: a CloudMonitor or EventBridge event (.json), a metric-alarm callback body (form-urlencoded), or an FC 3.0 HTTP-trigger envelope.`,
  tooLarge: (file: string, bytes: number) => `${file} is ${bytes} bytes; preview reads payload files up to ${MAX_FILE_BYTES} bytes.`,
  notADirectory: (file: string) => `${file} is a directory. Pass one payload file, e.g. packages/cli/samples/demo/cms-event-ecs-instance-statechange-stopped.json.`,
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
  const file = path.resolve(io.cwd, options.file);
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new CliError('FILE_NOT_FOUND', T.notADirectory(file));
    if (stat.size > MAX_FILE_BYTES) throw new CliError('FILE_NOT_FOUND', T.tooLarge(file, stat.size));
    bytes = readFileSync(file);
  } catch (error) {
    if (CliError.isCliError(error)) throw error;
    throw new CliError('FILE_NOT_FOUND', T.unreadable(file, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
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
      throw new CliError('EVENT_INVALID', T.unparseable(file, error.code, error.message), { cause: error });
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
  io.out(paint.dim(`${path.relative(io.cwd, file) || file} · ${family} · ${alerts.length} alert${alerts.length === 1 ? '' : 's'}${alerts.length > 1 ? ' (one digest message)' : ''}`));
  io.out();
  io.out(redact(notifier.formatMessageAsText(message, { color: colorEnabled(io.stdout, io.env), timeZone })));
  io.out();
  io.out(paint.dim(T.blockKit));
  io.out(url);
  return result;
}
