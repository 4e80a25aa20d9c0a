import type { ClientSettings } from './config.js';

/** The default export of a CommonJS SDK module, whichever way the bundler wrapped it. @internal */
export function cjsDefault<T>(mod: unknown): T {
  const m = mod as { default?: unknown };
  const d = m.default as { default?: unknown } | undefined;
  return (typeof d === 'function' ? d : (d?.default ?? m)) as T;
}

/** The ECS client (Cloud Assistant) and its request classes, loaded on first use. @internal */
export async function ecsClient(settings: ClientSettings) {
  const [mod, core] = await Promise.all([import('@alicloud/ecs20140526'), import('@alicloud/openapi-core')]);
  type Ecs = typeof import('@alicloud/ecs20140526').default;
  const Client = cjsDefault<Ecs>(mod);
  const m = mod as unknown as typeof import('@alicloud/ecs20140526');
  const client = new Client(new core.$OpenApiUtil.Config({ ...settings }));
  return { client, models: m };
}

/** The CloudMonitor client and its request classes, loaded on first use. @internal */
export async function cmsClient(settings: ClientSettings) {
  const [mod, core] = await Promise.all([import('@alicloud/cms20190101'), import('@alicloud/openapi-core')]);
  type Cms = typeof import('@alicloud/cms20190101').default;
  const Client = cjsDefault<Cms>(mod);
  const m = mod as unknown as typeof import('@alicloud/cms20190101');
  const client = new Client(new core.$OpenApiUtil.Config({ ...settings }));
  return { client, models: m };
}

/** The ResourceManager client (service-linked roles) and its request classes, loaded on first use. @internal */
export async function resourceManagerClient(settings: ClientSettings) {
  const [mod, core] = await Promise.all([import('@alicloud/resourcemanager20200331'), import('@alicloud/openapi-core')]);
  type Rm = typeof import('@alicloud/resourcemanager20200331').default;
  const Client = cjsDefault<Rm>(mod);
  const m = mod as unknown as typeof import('@alicloud/resourcemanager20200331');
  const client = new Client(new core.$OpenApiUtil.Config({ ...settings }));
  return { client, models: m };
}
