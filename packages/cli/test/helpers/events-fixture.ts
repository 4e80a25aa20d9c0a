import type { ApiSystemEvent } from '../../src/commands/events.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');

/** A DescribeSystemEventAttribute history (PascalCase, Content a JSON string), fake ids. */
export function eventHistory(n = 3): ApiSystemEvent[] {
  const kinds = [
    { Name: 'Instance:StateChange', Level: 'WARN', Content: { resourceId: 'i-bp1fake0instance0001', resourceType: 'ALIYUN::ECS::Instance', state: 'Stopped' } },
    {
      Name: 'Instance:SystemMaintenance.Reboot:Executing',
      Level: 'CRITICAL',
      Content: { instanceId: 'i-bp1fake0instance0002', eventId: 'e-bp1fake0000001', eventType: 'SystemMaintenance.Reboot', eventStatus: 'Executing', publishTime: '2026-11-24T09:00:00Z', notBefore: '2026-11-25T02:00:00Z', executeStartTime: '2026-11-24T10:01:00Z' },
    },
    { Name: 'Instance:StateChange', Level: 'INFO', Content: { resourceId: 'i-bp1fake0instance0003', resourceType: 'ALIYUN::ECS::Instance', state: 'Running' } },
  ];
  return Array.from({ length: n }, (_, i) => {
    const k = kinds[i % kinds.length]!;
    const id = (k.Content as { resourceId?: string; instanceId?: string }).resourceId ?? (k.Content as { instanceId: string }).instanceId;
    return {
      Content: JSON.stringify(k.Content),
      GroupId: '0',
      Id: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`,
      InstanceName: id,
      Level: k.Level,
      Name: k.Name,
      Product: 'ECS',
      RegionId: 'cn-hangzhou',
      ResourceId: `acs:ecs:cn-hangzhou:1234567890123456:instance/${id}`,
      Status: 'Normal',
      Time: T0 + i * 60_000,
    };
  });
}
