import { CliError } from '../errors.js';
import { M } from '../messages.js';

/** Retry settings for throttled calls. @internal */
export interface RetryPolicy {
  /** Attempts after the first one. @default 4 */
  readonly retries?: number;
  /** First back-off delay in ms, doubled each time (with jitter), capped at 20 s. @default ECS_PULSE_RETRY_BASE_MS or 500 */
  readonly baseMs?: number;
  /** Called before each wait (progress). */
  readonly onRetry?: (attempt: number, delayMs: number, code: string) => void;
}

interface SdkErrorShape {
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  data?: { Code?: unknown; RequestId?: unknown; Recommend?: unknown };
}

function sdkCode(error: unknown): string {
  const e = error as SdkErrorShape;
  const code = e?.code ?? e?.data?.Code;
  return typeof code === 'string' ? code : '';
}

/** Whether an SDK error is a throttling answer. @internal */
export function isThrottling(error: unknown): boolean {
  const code = sdkCode(error);
  return code.startsWith('Throttling') || code === 'ServiceUnavailable' || (error as { name?: string })?.name === 'ThrottlingError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Call an Alibaba Cloud API: retry `Throttling*` answers with exponential back-off, then turn any
 * SDK error into a CliError that names the product, action and region.
 * @internal
 */
export async function callApi<T>(
  what: { readonly product: string; readonly action: string; readonly region: string },
  fn: () => Promise<T>,
  env: NodeJS.ProcessEnv,
  policy: RetryPolicy = {},
): Promise<T> {
  const retries = policy.retries ?? 4;
  const base = policy.baseMs ?? (Number(env.ECS_PULSE_RETRY_BASE_MS) || 500);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (CliError.isCliError(error)) throw error;
      if (isThrottling(error) && attempt < retries) {
        const retryAfter = Number((error as SdkErrorShape).retryAfter);
        const delay = Number.isFinite(retryAfter) && retryAfter > 0
          ? retryAfter
          : Math.min(20_000, base * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        policy.onRetry?.(attempt + 1, Math.round(delay), sdkCode(error));
        await sleep(delay);
        continue;
      }
      throw toCliError(error, what, attempt);
    }
  }
}

/** Map an SDK error to a CliError. @internal */
export function toCliError(
  error: unknown,
  what: { readonly product: string; readonly action: string; readonly region: string },
  retried = 0,
): CliError {
  const e = error as SdkErrorShape;
  const code = sdkCode(error);
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  const requestId = typeof e?.requestId === 'string' && e.requestId !== 'undefined' ? e.requestId : undefined;
  const where = `${what.product} ${what.action} in ${what.region}`;
  if (isThrottling(error)) return new CliError('THROTTLED', M.throttled(where, code, retried), { cause: error });
  if (/InvalidRegion|Region\.NotSupported|UnsupportedRegion|InvalidRegionId/i.test(code)) {
    return new CliError('INVALID_REGION', M.regionRejected(what.region, where, code), { cause: error });
  }
  if (/InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|IncompleteSignature/i.test(code)) {
    return new CliError('CLOUD_API', M.authRejected(where, code), { cause: error });
  }
  if (/Forbidden|NoPermission|NotAuthorized|AccessDenied/i.test(code)) {
    return new CliError('CLOUD_API', M.permissionDenied(where, code), { cause: error });
  }
  const net = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up/i.exec(raw);
  if (net) return new CliError('CLOUD_API', M.unreachable(where, net[0]), { cause: error });
  return new CliError('CLOUD_API', M.apiFailed(where, code || 'Error', raw.replace(/^code: \d+, /, ''), requestId));
}
