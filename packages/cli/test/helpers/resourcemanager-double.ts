import { expectParams, type OpenApiDouble } from './openapi-double.js';

/**
 * Register ResourceManager 2020-03-31 GetRole and CreateServiceLinkedRole on a double, over an account whose roles
 * are `roles` (mutated by CreateServiceLinkedRole). GetRole answers 404 `EntityNotExist.Role` for a missing role,
 * as RAM does; CreateServiceLinkedRole knows the services in `services` (service name → role name) and answers
 * `EntityAlreadyExists.Role` when the role is there already.
 */
export function resourceManagerDouble(
  double: OpenApiDouble,
  opts: { readonly roles: Set<string>; readonly services: Readonly<Record<string, string>> },
): void {
  const V = '2020-03-31';
  double.on(V, 'GetRole', (call) => {
    expectParams(call, { RoleName: /^[A-Za-z0-9.-]{1,64}$/ });
    const name = call.query.RoleName ?? '';
    if (!opts.roles.has(name)) {
      return { status: 404, json: { Code: 'EntityNotExist.Role', Message: `The role not exists: ${name}.`, RequestId: 'R-GR' } };
    }
    return { json: { RequestId: 'R-GR', Role: { RoleName: name, RoleId: '3000000000000000000', Arn: `acs:ram::1234567890123456:role/${name.toLowerCase()}`, IsServiceLinkedRole: true } } };
  });
  double.on(V, 'CreateServiceLinkedRole', (call) => {
    expectParams(call, { ServiceName: /\.aliyuncs\.com$/ });
    const name = opts.services[call.query.ServiceName ?? ''];
    if (name === undefined) return { status: 400, json: { Code: 'InvalidParameter.ServiceName', Message: 'The service does not support service-linked roles.', RequestId: 'R-CSLR' } };
    if (opts.roles.has(name)) return { status: 409, json: { Code: 'EntityAlreadyExists.Role', Message: `The role already exists: ${name}.`, RequestId: 'R-CSLR' } };
    opts.roles.add(name);
    return { json: { RequestId: 'R-CSLR', Role: { RoleName: name, Arn: `acs:ram::1234567890123456:role/${name.toLowerCase()}`, IsServiceLinkedRole: true } } };
  });
}
