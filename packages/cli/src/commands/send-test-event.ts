import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { callApi } from '../cloud/call.js';
import { cjsDefault } from '../cloud/clients.js';
import { clientSettings, endpointOverride, resolveRegion } from '../cloud/config.js';
import { CliError } from '../errors.js';
import { resolveIo, type CommonOptions } from '../io.js';
import { M } from '../messages.js';
import { registerSecret } from '../redact.js';
import { SAMPLE_EVENT } from '../samples.js';
import { loadStackInfo, type StackRef } from '../stack.js';
import type { StackInfo } from '../stack-outputs.js';

/**
 * Options of {@link sendTestEvent}.
 *
 * @example
 * ```ts
 * import type { SendTestEventOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface SendTestEventOptions extends CommonOptions, StackRef {
  /** The payload file; `-` reads it from `stdin`. @default - a bundled CloudMonitor ECS `Instance:StateChange` event */
  readonly file?: string;
  /** Where `file: '-'` is read from. @default process.stdin */
  readonly stdin?: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** Render with the parser + notifier and post to this Slack webhook instead of invoking the function. @default - invoke the function */
  readonly webhook?: string;
  /** FC generation of the deployed forwarder. @default - the stack output `forwarder_fc_version`, else 3 */
  readonly fcVersion?: 2 | 3;
  /** Function name. @default - the stack output `forwarder_function_name`, else `ECSMonitoringFunction` (FC 2.0) */
  readonly functionName?: string;
  /** FC 2.0 service name. @default - the stack output `forwarder_service_name`, else 'ECSMonitoringService' */
  readonly serviceName?: string;
  /** Version or alias to invoke. @default - LATEST */
  readonly qualifier?: string;
  /** Region. @default - stack output (`forwarder_region`, else `region`), else ALIBABA_CLOUD_REGION_ID */
  readonly region?: string;
  /** Account id for the FC endpoint `<account>.<region>.fc.aliyuncs.com`. @default - stack output or ALIBABA_CLOUD_ACCOUNT_ID */
  readonly accountId?: string;
}

/**
 * Result of {@link sendTestEvent}.
 *
 * @example
 * ```ts
 * import type { SendTestEventResult } from '@ecs-pulse/cli';
 * ```
 */
export interface SendTestEventResult {
  readonly target: 'webhook' | 'fc3' | 'fc2';
  /** Bytes sent. */
  readonly bytes: number;
  /** Alerts rendered (webhook mode). */
  readonly alerts?: number;
  /** HTTP status of the invocation (FC mode). */
  readonly statusCode?: number;
  /** The function's response body (FC mode). */
  readonly response?: string;
  /** Function name invoked (FC mode). */
  readonly functionName?: string;
  /** FC 2.0 service of the function invoked (FC 2.0 mode). */
  readonly serviceName?: string;
  /** Region of the function invoked (FC mode). */
  readonly region?: string;
}

/**
 * The deployed function to invoke: options first, then the forwarder's stack outputs
 * (`SLACK_FORWARDER_OUTPUTS`), then the environment and the original FC 2.0 names.
 * @internal
 */
export interface FunctionTarget {
  readonly fcVersion: 2 | 3;
  readonly functionName: string | undefined;
  /** FC 2.0 only. */
  readonly serviceName: string | undefined;
  readonly region: string | undefined;
  readonly accountId: string | undefined;
}

/**
 * Resolve {@link FunctionTarget} from the options, the stack outputs and the environment. The stack's
 * function and service names are used only when the stack's FC generation matches the chosen one.
 * @internal
 */
export function resolveFunctionTarget(options: SendTestEventOptions, info: StackInfo | undefined, env: NodeJS.ProcessEnv): FunctionTarget {
  const fcVersion = options.fcVersion ?? info?.fcVersion ?? 3;
  const sameGeneration = info?.fcVersion === undefined || info.fcVersion === fcVersion;
  const fromStack = sameGeneration ? info : undefined;
  return {
    fcVersion,
    // Without a stack, the construct's default names: FC 3.0 `ecs-pulse-slack-forwarder`, FC 2.0 the original ones.
    functionName: options.functionName ?? fromStack?.functionName ?? (fcVersion === 2 ? 'ECSMonitoringFunction' : 'ecs-pulse-slack-forwarder'),
    serviceName: fcVersion === 2 ? (options.serviceName ?? fromStack?.serviceName ?? 'ECSMonitoringService') : undefined,
    region: options.region ?? info?.functionRegion ?? info?.region ?? (env.ALIBABA_CLOUD_REGION_ID || env.ALICLOUD_REGION || undefined),
    accountId: options.accountId ?? info?.accountId ?? (env.ALIBABA_CLOUD_ACCOUNT_ID || undefined),
  };
}

/**
 * Send a payload (default: a bundled sample event) either straight to a Slack webhook, rendered by the
 * parser and notifier, or to the deployed forwarder function through the FC API (`InvokeFunction` of
 * `@alicloud/fc20230330` for FC 3.0, `@alicloud/fc-open20210406` for FC 2.0).
 *
 * @example
 * ```ts
 * await sendTestEvent({ webhook: process.env.SLACK_WEBHOOK_URL });
 * await sendTestEvent({ fcVersion: 2, region: 'cn-hangzhou', accountId: '1234567890123456' });
 * ```
 */
export async function sendTestEvent(options: SendTestEventOptions = {}): Promise<SendTestEventResult> {
  const io = resolveIo(options);
  let payload: Buffer;
  if (options.file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of options.stdin ?? process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    payload = Buffer.concat(chunks);
    if (payload.length === 0) throw new CliError('FILE_NOT_FOUND', M.eventFileMissing('stdin (it was empty)'));
  } else if (options.file !== undefined) {
    const file = path.resolve(io.cwd, options.file);
    try {
      payload = readFileSync(file);
    } catch (cause) {
      throw new CliError('FILE_NOT_FOUND', M.eventFileMissing(file), { cause });
    }
  } else payload = Buffer.from(JSON.stringify(SAMPLE_EVENT));

  if (options.webhook !== undefined) {
    registerSecret(options.webhook);
    const [{ parse }, { toSlackMessage, SlackWebhook }] = await Promise.all([
      import('@ecs-pulse/cloudmonitor-event-parser'),
      import('@ecs-pulse/slack-notifier'),
    ]);
    const contentType = /^\s*[{[]/.test(payload.toString('utf8')) ? 'application/json' : 'application/x-www-form-urlencoded';
    let alerts;
    try {
      alerts = parse(payload.toString('utf8'), { contentType });
    } catch (cause) {
      throw new CliError('EVENT_INVALID', M.eventInvalid(options.file ?? 'the sample event'), { cause });
    }
    let hook: InstanceType<typeof SlackWebhook>;
    try {
      hook = new SlackWebhook(options.webhook);
    } catch (cause) {
      // The notifier owns the rules for a webhook URL: a URL it refuses is a bad option value.
      const why = cause instanceof Error ? cause.message.replace(/^Slack webhook URL is invalid: /, '') : String(cause);
      throw new CliError('USAGE', M.badWebhook(why), { cause, showCause: false });
    }
    try {
      await hook.send(toSlackMessage(alerts));
    } catch (cause) {
      if ((cause as { code?: unknown }).code === 'CONNECTION_ERROR') {
        const inner = (cause as { cause?: { code?: unknown } }).cause?.code;
        const why = inner === 'ECONNREFUSED' ? 'connection refused' : typeof inner === 'string' ? inner : 'the connection failed';
        throw new CliError('SLACK_FAILED', M.slackUnreachable(new URL(options.webhook).origin, why), { cause, showCause: false });
      }
      throw new CliError('SLACK_FAILED', M.slackFailed(), { cause });
    } finally {
      (hook as { close?: () => void }).close?.();
    }
    if (io.json) io.out(JSON.stringify({ target: 'webhook', bytes: payload.length, alerts: alerts.length }));
    else io.out(M.sentToWebhook(alerts.length));
    return { target: 'webhook', bytes: payload.length, alerts: alerts.length };
  }

  // The deployed stack's outputs fill in whatever the options leave open; without a stack, the defaults
  // (FC 2.0 names, ALIBABA_CLOUD_REGION_ID / _ACCOUNT_ID) may still be enough.
  const override = endpointOverride('fc', io.env);
  // Options stand in for the stack: --region and --account-id (or their variables) are enough.
  const needStack =
    options.functionName === undefined ||
    options.region === undefined ||
    (options.accountId === undefined && !io.env.ALIBABA_CLOUD_ACCOUNT_ID && override === undefined);
  let info: StackInfo | undefined;
  let stackError: unknown;
  if (needStack) {
    try {
      info = await loadStackInfo(options, io);
    } catch (e) {
      stackError = e;
    }
  }
  const target = resolveFunctionTarget(options, info, io.env);
  const { fcVersion, functionName } = target;
  if (stackError !== undefined && target.region === undefined) {
    throw new CliError('USAGE', `${M.regionMissing()} (No deployed stack was found to read it from.)`, { cause: stackError, showCause: false });
  }
  const region = resolveRegion(target.region, undefined, io.env);
  if (functionName === undefined) throw new CliError('USAGE', M.noFunction());
  const accountId = target.accountId;
  if (override === undefined && accountId === undefined) throw new CliError('USAGE', M.noAccountId());
  const settings = await clientSettings('fc', region, io.env, accountId ? `${accountId}.${region}.fc.aliyuncs.com` : undefined);
  const progress = io.progress(`invoking ${functionName} (FC ${fcVersion}.0) in ${region}`);
  let statusCode: number | undefined;
  let response = '';
  let errorType: string | undefined;
  try {
    if (fcVersion === 3) {
      const [mod, core] = await Promise.all([import('@alicloud/fc20230330'), import('@alicloud/openapi-core')]);
      const Client = cjsDefault<typeof import('@alicloud/fc20230330').default>(mod);
      const m = mod as unknown as typeof import('@alicloud/fc20230330');
      const client = new Client(new core.$OpenApiUtil.Config({ ...settings }));
      const res = await callApi(
        { product: 'FC 3.0', action: 'InvokeFunction', region },
        () =>
          client.invokeFunction(
            functionName,
            new m.InvokeFunctionRequest({ body: Readable.from([payload]), ...(options.qualifier ? { qualifier: options.qualifier } : {}) }),
          ),
        io.env,
      );
      statusCode = res.statusCode;
      errorType = res.headers?.['x-fc-error-type'];
      if (res.body) for await (const chunk of res.body as AsyncIterable<Buffer | string>) response += chunk.toString();
    } else {
      const [mod, openapi] = await Promise.all([import('@alicloud/fc-open20210406'), import('@alicloud/openapi-client')]);
      const Client = cjsDefault<typeof import('@alicloud/fc-open20210406').default>(mod);
      const m = mod as unknown as typeof import('@alicloud/fc-open20210406');
      const Config = (openapi as unknown as { Config: typeof import('@alicloud/openapi-client').Config }).Config
        ?? cjsDefault<{ Config: typeof import('@alicloud/openapi-client').Config }>(openapi).Config;
      const client = new Client(new Config({ ...settings }));
      const service = target.serviceName ?? 'ECSMonitoringService';
      const res = await callApi(
        { product: 'FC 2.0', action: 'InvokeFunction', region },
        () => client.invokeFunction(service, functionName, new m.InvokeFunctionRequest({ body: payload, ...(options.qualifier ? { qualifier: options.qualifier } : {}) })),
        io.env,
      );
      statusCode = res.statusCode;
      errorType = res.headers?.['x-fc-error-type'];
      response = res.body ? Buffer.from(res.body).toString('utf8') : '';
    }
  } catch (e) {
    progress.fail();
    throw e;
  }
  if (errorType) {
    progress.fail(`${functionName} failed (${errorType})`);
    throw new CliError('REMOTE_COMMAND_FAILED', M.functionFailed(functionName, errorType, response));
  }
  progress.succeed(`${functionName} answered ${statusCode ?? '?'}`);
  const kind = fcVersion === 3 ? 'fc3' : 'fc2';
  const serviceName = target.serviceName;
  if (io.json) io.out(JSON.stringify({ target: kind, functionName, ...(serviceName !== undefined && { serviceName }), region, bytes: payload.length, statusCode, response }));
  else io.out(M.sentToFunction(functionName, statusCode, response));
  return {
    target: kind,
    bytes: payload.length,
    functionName,
    ...(serviceName !== undefined && { serviceName }),
    region,
    response,
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}
