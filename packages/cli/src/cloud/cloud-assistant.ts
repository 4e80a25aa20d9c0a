import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { M } from '../messages.js';
import { callApi } from './call.js';
import type { ClientSettings } from './config.js';
import { ecsClient } from './clients.js';

/**
 * The outcome of a script on one instance.
 *
 * @example
 * ```ts
 * import type { RemoteResult } from '@ecs-pulse/cli';
 * ```
 */
export interface RemoteResult {
  readonly instanceId: string;
  /** Per-instance status: Success, Failed, Timeout, Error, Aborted, ... */
  readonly status: string;
  readonly exitCode: number;
  /** Decoded output (UTF-8). */
  readonly output: string;
  /** Bytes Cloud Assistant cut off beyond its 24 KB limit. */
  readonly dropped: number;
  readonly errorCode?: string;
  readonly errorInfo?: string;
  readonly startTime?: string;
  readonly finishedTime?: string;
}

/** Options of {@link runRemote}. @internal */
export interface RunRemoteOptions {
  readonly settings: ClientSettings;
  readonly instanceIds: readonly string[];
  readonly script: string;
  /** Command timeout on the host, seconds. */
  readonly timeoutSeconds: number;
  /** Command name shown in the console. */
  readonly name: string;
  /** Progress text. */
  readonly label: string;
}

// `InvokeRecordStatus` of a DescribeInvocationResults item is that instance's record, not an aggregate of the
// invocation (the API has none across instances), so only every instance's own status ends the wait.
const DONE_INSTANCE = new Set(['Success', 'Failed', 'Timeout', 'Error', 'Aborted', 'Cancelled', 'Terminated', 'Invalid']);

/**
 * Run a shell script on instances with Cloud Assistant (`RunCommand`, Base64 content, `RunShellScript`)
 * and poll `DescribeInvocationResults` until every instance is done; outputs are Base64-decoded.
 * @internal
 */
export async function runRemote(o: RunRemoteOptions, io: Io): Promise<RemoteResult[]> {
  const { client, models } = await ecsClient(o.settings);
  const region = o.settings.regionId;
  const progress = io.progress(`${o.label}: sending the command to ${o.instanceIds.join(', ')}`);
  const onRetry = (attempt: number, delay: number, code: string) =>
    progress.update(M.retrying(code, attempt, delay));
  try {
    const run = await callApi(
      { product: 'ECS', action: 'RunCommand', region },
      () =>
        client.runCommand(
          new models.RunCommandRequest({
            regionId: region,
            type: 'RunShellScript',
            commandContent: Buffer.from(o.script, 'utf8').toString('base64'),
            contentEncoding: 'Base64',
            instanceId: [...o.instanceIds],
            timeout: o.timeoutSeconds,
            name: o.name,
            keepCommand: false,
          }),
        ),
      io.env,
      { onRetry },
    );
    const invokeId = run.body?.invokeId;
    if (!invokeId) throw new CliError('CLOUD_API', M.noInvokeId(region));
    const pollMs = Number(io.env.ECS_PULSE_POLL_MS) || 3000;
    const started = Date.now();
    const deadline = started + (o.timeoutSeconds + 120) * 1000;
    for (;;) {
      const results = await describeAll(client, models, region, invokeId, io, onRetry);
      if (allTerminal(results.items, o.instanceIds)) {
        const failed = results.items.filter((r) => r.status !== 'Success').length;
        if (failed === 0) progress.succeed(`${o.label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
        else progress.fail(`${o.label}: ${failed} of ${results.items.length} instance(s) did not succeed`);
        return results.items;
      }
      if (Date.now() > deadline) {
        progress.fail(`${o.label}: timed out`);
        throw new CliError('REMOTE_TIMEOUT', M.remoteTimeout(invokeId, o.timeoutSeconds));
      }
      const states = results.items.map((r) => `${r.instanceId} ${r.status}`).join(', ') || 'Pending';
      progress.update(`${o.label}: ${states} (${Math.round((Date.now() - started) / 1000)} s, invoke ${invokeId})`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } catch (error) {
    progress.stop();
    throw error;
  }
}

/** Whether every instance of the invocation has a result in a terminal status. @internal */
export function allTerminal(items: readonly RemoteResult[], instanceIds: readonly string[]): boolean {
  return instanceIds.every((id) => {
    const item = items.find((r) => r.instanceId === id);
    return item !== undefined && DONE_INSTANCE.has(item.status);
  });
}

type EcsModels = typeof import('@alicloud/ecs20140526');
type EcsClient = Awaited<ReturnType<typeof ecsClient>>['client'];

async function describeAll(
  client: EcsClient,
  models: EcsModels,
  region: string,
  invokeId: string,
  io: Io,
  onRetry: (attempt: number, delay: number, code: string) => void,
): Promise<{ items: RemoteResult[] }> {
  const items: RemoteResult[] = [];
  let nextToken: string | undefined;
  do {
    const res = await callApi(
      { product: 'ECS', action: 'DescribeInvocationResults', region },
      () =>
        client.describeInvocationResults(
          new models.DescribeInvocationResultsRequest({
            regionId: region,
            invokeId,
            contentEncoding: 'Base64',
            maxResults: 50,
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      io.env,
      { onRetry },
    );
    const inv = res.body?.invocation;
    for (const r of inv?.invocationResults?.invocationResult ?? []) {
      items.push({
        instanceId: r.instanceId ?? '',
        status: r.invocationStatus ?? r.invokeRecordStatus ?? 'Unknown',
        exitCode: r.exitCode ?? -1,
        output: r.output ? Buffer.from(r.output, 'base64').toString('utf8') : '',
        dropped: r.dropped ?? 0,
        ...(r.errorCode ? { errorCode: r.errorCode } : {}),
        ...(r.errorInfo ? { errorInfo: r.errorInfo } : {}),
        ...(r.startTime ? { startTime: r.startTime } : {}),
        ...(r.finishedTime ? { finishedTime: r.finishedTime } : {}),
      });
    }
    nextToken = inv?.nextToken || undefined;
  } while (nextToken);
  return { items };
}
