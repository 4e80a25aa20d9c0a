import type { NotifiableAlert } from './types.js';

/**
 * The default ECS console origin (China site). For the international site pass
 * `https://ecs.console.alibabacloud.com` as `consoleBaseUrl`.
 *
 * @example
 * ```ts
 * ecsConsoleUrl(alert, DEFAULT_ECS_CONSOLE);
 * ```
 */
export const DEFAULT_ECS_CONSOLE = 'https://ecs.console.aliyun.com';

/** The kinds of ECS resources the notifier links to. */
export type EcsResourceType = 'instance' | 'disk' | 'snapshot';

const REGION_RE = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

/** Resource types by the first letter of an ECS resource id (`i-…`, `d-…`, `s-…`). */
const TYPE_BY_ID_PREFIX: Readonly<Record<string, EcsResourceType>> = { i: 'instance', d: 'disk', s: 'snapshot' };

function resourceTypeOf(alert: NotifiableAlert): EcsResourceType | undefined {
  const arnType = /^acs:ecs:[^:]*:[^:]*:([a-z]+)\//i.exec(alert.resourceArn ?? '')?.[1]?.toLowerCase();
  if (arnType !== undefined) return Object.values(TYPE_BY_ID_PREFIX).find((type) => type === arnType);
  const prefix = /^([ids])-[a-z0-9]+$/i.exec(alert.resourceId ?? '')?.[1];
  return prefix === undefined ? undefined : TYPE_BY_ID_PREFIX[prefix.toLowerCase()];
}

function regionOf(alert: NotifiableAlert): string | undefined {
  if (alert.region && REGION_RE.test(alert.region)) return alert.region;
  const fromArn = /^acs:ecs:([^:]+):/i.exec(alert.resourceArn ?? '')?.[1];
  return fromArn && REGION_RE.test(fromArn) ? fromArn : undefined;
}

/**
 * The ECS console page of the alert's resource, or `undefined` when the alert is not about an ECS
 * instance (`i-…`), disk (`d-…`) or snapshot (`s-…`), or when its region is unknown. Ids and regions are
 * URL-encoded. URL shapes (taken from Resource Center console-link templates and console links seen in
 * public docs; Alibaba does not document them as an API, so they may change):
 *
 * - instance: `<console>/server/<id>/detail?regionId=<region>`
 * - disk: `<console>/diskdetail/<id>/detail?regionId=<region>`
 * - snapshot: `<console>/#/snapshotDetail/<region>/<id>/detail`
 *
 * @example
 * ```ts
 * ecsConsoleUrl({ ...alert, product: 'ECS', resourceId: 'i-bp1example', region: 'cn-hangzhou' });
 * // 'https://ecs.console.aliyun.com/server/i-bp1example/detail?regionId=cn-hangzhou'
 * ```
 */
export function ecsConsoleUrl(alert: NotifiableAlert, consoleBaseUrl: string = DEFAULT_ECS_CONSOLE): string | undefined {
  if (String(alert.product ?? '').toUpperCase() !== 'ECS') return undefined;
  const type = resourceTypeOf(alert);
  const region = regionOf(alert);
  if (!type || !region || !alert.resourceId) return undefined;
  const base = consoleBaseUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(alert.resourceId);
  const r = encodeURIComponent(region);
  switch (type) {
    case 'instance':
      return `${base}/server/${id}/detail?regionId=${r}`;
    case 'disk':
      return `${base}/diskdetail/${id}/detail?regionId=${r}`;
    case 'snapshot':
      return `${base}/#/snapshotDetail/${r}/${id}/detail`;
  }
}

/** Human label for the console button. */
export function consoleLinkLabel(alert: NotifiableAlert): string {
  return `Open ${resourceTypeOf(alert) ?? 'instance'} in console`;
}
