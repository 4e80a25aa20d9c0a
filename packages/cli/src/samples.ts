/**
 * The sample event `send-test-event` sends when no file is given: a CloudMonitor system event for an
 * ECS instance that stopped, in the documented shape (fake ids). @internal
 */
export const SAMPLE_EVENT = {
  ver: '1.0',
  id: '11111111-2222-4333-8444-555555555503',
  product: 'ECS',
  resourceId: 'acs:ecs:cn-hangzhou:1234567890123456:instance/i-bp1fake0instance0001',
  level: 'WARN',
  name: 'Instance:StateChange',
  userId: '1234567890123456',
  eventTime: '20250310T180019.922+0800',
  regionId: 'cn-hangzhou',
  content: {
    resourceId: 'i-bp1fake0instance0001',
    resourceType: 'ALIYUN::ECS::Instance',
    state: 'Stopped',
  },
} as const;
