import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError } from '../errors.js';
import { M } from '../messages.js';
import { registerSecret } from '../redact.js';
import { cjsDefault } from './clients.js';

/** Products the CLI calls, with their endpoint override variables. */
export type Product = 'ecs' | 'fc' | 'cms' | 'resourcemanager';

const ENDPOINT_ENV: Record<Product, string> = {
  ecs: 'ECS_PULSE_ENDPOINT_ECS',
  fc: 'ECS_PULSE_ENDPOINT_FC',
  cms: 'ECS_PULSE_ENDPOINT_CMS',
  resourcemanager: 'ECS_PULSE_ENDPOINT_RESOURCEMANAGER',
};

/** A resolved AccessKey (possibly STS). @internal */
export interface ResolvedCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  /** Which provider of the chain answered (`env`, `cli_profile`, `ecs_ram_role`, ...). */
  readonly provider: string;
}

/**
 * Resolve credentials through the `@alicloud/credentials` default chain: environment variables
 * (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`, `_SECURITY_TOKEN`), OIDC, the `aliyun` CLI profile
 * (`~/.aliyun/config.json`), `~/.alibabacloud/credentials`, the ECS RAM role, a credentials URI.
 * Values are registered for redaction. Throws `CREDENTIALS_MISSING` when no provider answers.
 * @internal
 */
export async function resolveCredentials(env: NodeJS.ProcessEnv): Promise<ResolvedCredentials> {
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  let resolved: ResolvedCredentials;
  if (id && secret) {
    resolved = {
      accessKeyId: id,
      accessKeySecret: secret,
      ...(env.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN } : {}),
      provider: 'env',
    };
  } else {
    const mod = await import('@alicloud/credentials');
    const Credential = cjsDefault<typeof import('@alicloud/credentials').default>(mod);
    try {
      const credential = new Credential();
      const model = await credential.getCredential();
      if (!model.accessKeyId || !model.accessKeySecret) throw new Error('the chain returned an empty AccessKey');
      resolved = {
        accessKeyId: model.accessKeyId,
        accessKeySecret: model.accessKeySecret,
        ...(model.securityToken ? { securityToken: model.securityToken } : {}),
        provider: model.providerName ?? 'default',
      };
    } catch (cause) {
      // The chain's own error strings every provider's failure together (`getaddrinfo ENOTFOUND
      // undefinedGET https://undefined/`): say what was tried, from the environment, instead.
      throw new CliError('CREDENTIALS_MISSING', M.credentialsMissing(triedSources(env)), { cause, showCause: false });
    }
  }
  registerSecret(resolved.accessKeySecret);
  registerSecret(resolved.securityToken);
  return resolved;
}

/**
 * The sources the `@alicloud/credentials` default chain tries, in its order, each with what was found
 * (the chain reads `process.env` and the home folder). @internal
 */
export function triedSources(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string): boolean => (env[name] ?? process.env[name] ?? '') !== '';
  const home = env.HOME ?? process.env.HOME ?? homedir();
  const id = set('ALIBABA_CLOUD_ACCESS_KEY_ID');
  const secret = set('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  const tried: string[] = [];
  tried.push(
    `environment variables ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (${id && secret ? 'set, but refused' : id ? 'ALIBABA_CLOUD_ACCESS_KEY_SECRET not set' : secret ? 'ALIBABA_CLOUD_ACCESS_KEY_ID not set' : 'not set'})`,
  );
  if (set('ALIBABA_CLOUD_ROLE_ARN') || set('ALIBABA_CLOUD_OIDC_TOKEN_FILE')) tried.push('OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE: set, but refused)');
  const cliConfig = path.join(home, '.aliyun', 'config.json');
  const profile = env.ALIBABA_CLOUD_PROFILE ?? process.env.ALIBABA_CLOUD_PROFILE;
  tried.push(
    `aliyun CLI profile${profile ? ` "${profile}"` : ''} in ${cliConfig} (${existsSync(cliConfig) ? 'present, but no usable AccessKey in it' : 'no such file'})`,
  );
  const credFile = env.ALIBABA_CLOUD_CREDENTIALS_FILE ?? process.env.ALIBABA_CLOUD_CREDENTIALS_FILE ?? path.join(home, '.alibabacloud', 'credentials');
  tried.push(`credentials file ${credFile} (${existsSync(credFile) ? 'present, but no usable AccessKey in it' : 'no such file'})`);
  const metadataOff = (env.ALIBABA_CLOUD_ECS_METADATA_DISABLED ?? process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED ?? '').toLowerCase() === 'true';
  tried.push(`ECS instance RAM role from the metadata service 100.100.100.200 (${metadataOff ? 'disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED' : 'no role: not on ECS, or no RAM role attached'})`);
  if (set('ALIBABA_CLOUD_CREDENTIALS_URI')) tried.push('ALIBABA_CLOUD_CREDENTIALS_URI (set, but it gave no AccessKey)');
  return tried;
}

/** An endpoint override from `ECS_PULSE_ENDPOINT_<PRODUCT>`. @internal */
export interface EndpointOverride {
  readonly endpoint: string;
  readonly protocol: 'http' | 'https';
}

/** Read the endpoint override of a product (full URL; `http://` allowed). @internal */
export function endpointOverride(product: Product, env: NodeJS.ProcessEnv): EndpointOverride | undefined {
  const name = ENDPOINT_ENV[product];
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `https://${raw}`);
  } catch (cause) {
    throw new CliError('USAGE', M.badEndpoint(name, raw), { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('USAGE', M.badEndpoint(name, raw));
  return { endpoint: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

/** Settings that every OpenAPI Config gets. @internal */
export interface ClientSettings {
  readonly regionId: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly endpoint?: string;
  readonly protocol?: string;
  readonly readTimeout: number;
  readonly connectTimeout: number;
}

/**
 * Build the OpenAPI client settings for one product: credentials, region, endpoint override.
 * `defaultEndpoint` is used when no override is set (FC needs `<account>.<region>.fc.aliyuncs.com`).
 * @internal
 */
export async function clientSettings(
  product: Product,
  regionId: string,
  env: NodeJS.ProcessEnv,
  defaultEndpoint?: string,
): Promise<ClientSettings> {
  const creds = await resolveCredentials(env);
  const override = endpointOverride(product, env);
  const endpoint = override?.endpoint ?? defaultEndpoint;
  return {
    regionId,
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    ...(creds.securityToken ? { securityToken: creds.securityToken } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(override ? { protocol: override.protocol } : {}),
    readTimeout: 30_000,
    connectTimeout: 10_000,
  };
}

const REGION_RE = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

/** Pick the region: option, stack output, `ALIBABA_CLOUD_REGION_ID`; validate its shape. @internal */
export function resolveRegion(option: string | undefined, fromStack: string | undefined, env: NodeJS.ProcessEnv): string {
  const region = option ?? fromStack ?? env.ALIBABA_CLOUD_REGION_ID ?? env.ALICLOUD_REGION;
  if (region === undefined || region === '') throw new CliError('USAGE', M.regionMissing());
  if (!REGION_RE.test(region)) throw new CliError('INVALID_REGION', M.regionInvalid(region));
  return region;
}
