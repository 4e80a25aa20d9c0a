import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { M } from '../messages.js';
import { callApi, isThrottling } from './call.js';
import { resourceManagerClient } from './clients.js';
import type { ClientSettings } from './config.js';

/**
 * The account-wide service-linked role EventBridge needs to invoke Function Compute, and its ResourceManager
 * service name (the name `CreateServiceLinkedRole` takes; listed with the role in public Terraform modules of
 * Alibaba Cloud service-linked roles). Not managed by the stack by default: destroying a stack that manages it
 * deletes it for every EventBridge→FC route of the account (issue 15 item 4).
 * @internal
 */
export const EVENTBRIDGE_FC_ROLE = {
  roleName: 'AliyunServiceRoleForEventBridgeSendToFC',
  serviceName: 'sendevent-fc.eventbridge.aliyuncs.com',
} as const;

interface StackJson {
  readonly provider?: { readonly alicloud?: ReadonlyArray<{ readonly region?: unknown }> };
  readonly resource?: Record<string, Record<string, Record<string, unknown>> | undefined>;
}

/**
 * Whether a synthesized stack routes EventBridge to FC (an `alicloud_fcv3_trigger` of type `eventbridge`) without
 * managing the service-linked role itself (`alicloud_event_bridge_service_linked_role`, the opt-in), i.e. whether
 * the account must have the role before apply.
 * @internal
 */
export function needsEventBridgeRole(stack: StackJson): boolean {
  const triggers = Object.values(stack.resource?.alicloud_fcv3_trigger ?? {});
  const eventbridge = triggers.some((t) => t.trigger_type === 'eventbridge');
  const managed = Object.keys(stack.resource?.alicloud_event_bridge_service_linked_role ?? {}).length > 0;
  return eventbridge && !managed;
}

/** The region of the stack's alicloud provider, when it is a literal. @internal */
export function stackRegion(stack: StackJson): string | undefined {
  const region = stack.provider?.alicloud?.[0]?.region;
  return typeof region === 'string' && !region.includes('${') ? region : undefined;
}

const sdkCode = (error: unknown): string => {
  const e = error as { code?: unknown; data?: { Code?: unknown } };
  const code = e?.code ?? e?.data?.Code;
  return typeof code === 'string' ? code : '';
};

/**
 * Make sure the account has a service-linked role: ResourceManager `GetRole`, and `CreateServiceLinkedRole` when
 * it answers `EntityNotExist.Role`. Says what it found or did. The CLI creates the role only; it never deletes it.
 * @internal
 */
export async function ensureServiceLinkedRole(
  settings: ClientSettings,
  role: { readonly roleName: string; readonly serviceName: string },
  io: Io,
): Promise<'present' | 'created'> {
  const { client, models } = await resourceManagerClient(settings);
  const what = { product: 'ResourceManager', region: settings.regionId };
  // GetRole answers EntityNotExist.Role for a missing role; anything else (denied, throttled...) is callApi's.
  const exists = await callApi(
    { ...what, action: 'GetRole' },
    async () => {
      try {
        await client.getRole(new models.GetRoleRequest({ roleName: role.roleName }));
        return true;
      } catch (error) {
        if (!isThrottling(error) && /^EntityNotExist/i.test(sdkCode(error))) return false;
        throw error;
      }
    },
    io.env,
  );
  if (exists) {
    io.err(io.paint.dim(M.serviceLinkedRolePresent(role.roleName)));
    return 'present';
  }
  await callApi(
    { ...what, action: 'CreateServiceLinkedRole' },
    () => client.createServiceLinkedRole(new models.CreateServiceLinkedRoleRequest({ serviceName: role.serviceName })),
    io.env,
  );
  io.err(io.paint.yellow(M.serviceLinkedRoleCreated(role.roleName)));
  return 'created';
}

/**
 * Whether the check could not be made for want of permission or credentials (the caller may go on and let
 * terraform report the real need), as opposed to a real failure.
 * @internal
 */
export const isPermissionError = (error: unknown): boolean =>
  CliError.isCliError(error) && (error.code === 'CREDENTIALS_MISSING' || /permission|denied|not authorized/i.test(error.message));
