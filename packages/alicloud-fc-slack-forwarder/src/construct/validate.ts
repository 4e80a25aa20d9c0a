import { numberRange } from '@ecs-pulse/alicloud-provider/validators';
import { Token } from 'cdktf';
import { SlackForwarderPropsError } from '../errors.js';
import { checkWebhookUrl, loadConfig } from '../function/config.js';
import { BOT_TOKEN_PLACEHOLDER, botTokenEnvNames, checkBotTokenProps } from './bot-tokens.js';
import type { SlackForwarderProps } from './props.js';

const PROP_KEYS: readonly (keyof SlackForwarderProps)[] = [
  'fcVersion',
  'webhookUrl',
  'webhookUrlVariableName',
  'functionName',
  'serviceName',
  'eventRuleName',
  'runtime',
  'memorySize',
  'timeout',
  'region',
  'eventSource',
  'manageServiceLinkedRole',
  'httpTrigger',
  'asyncInvoke',
  'logs',
  'config',
  'environment',
  'botTokenVariables',
  'selfMonitoring',
  'tags',
  'outputPrefix',
];
const RESERVED_ENV = ['SLACK_WEBHOOK_URL', 'ECS_PULSE_HTTP_TOKEN', 'ECS_PULSE_CONFIG'];
const FC_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRODUCT = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const EVENT_TYPE = /^[a-z][a-z0-9-]*:[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)*$/;
const LOG_PROJECT = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const LOG_STORE = /^[a-z0-9_][a-z0-9_-]{0,61}[a-z0-9_]$/;
const TF_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const LEVELS = ['CRITICAL', 'WARN', 'INFO'];
const OUTPUT_PREFIX = /^(?:[A-Za-z][A-Za-z0-9_-]{0,63})?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A plain string: neither a cdktf token nor a raw Terraform expression (`${var.x}`). */
const literal = (v: unknown): v is string => typeof v === 'string' && !Token.isUnresolved(v) && !v.includes('${');

function checkKeys(value: unknown, prop: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new SlackForwarderPropsError(prop, `must be an object; got ${Array.isArray(value) ? 'an array' : typeof value}.`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new SlackForwarderPropsError(`${prop}.${key}`, `is not a known prop. Allowed: ${allowed.join(', ')}.`);
  }
}

function checkInt(value: unknown, prop: string, min: number, max: number, extra?: (n: number) => string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SlackForwarderPropsError(prop, `must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}.`);
  }
  const problem = extra?.(value);
  if (problem) throw new SlackForwarderPropsError(prop, problem);
}

function checkName(value: unknown, prop: string, pattern: RegExp, rule: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new SlackForwarderPropsError(prop, `must be ${rule}; got ${JSON.stringify(value)}.`);
  }
}

/**
 * Validates the props up front; throws a {@link SlackForwarderPropsError} naming the first bad prop and how
 * to fix it. Values that are unresolved tokens are accepted as they are.
 */
export function validateProps(props: SlackForwarderProps): void {
  checkKeys(props, 'props', PROP_KEYS);
  if (props.fcVersion !== undefined && props.fcVersion !== 3 && props.fcVersion !== 2) {
    throw new SlackForwarderPropsError('fcVersion', `must be 3 (FC 3.0, the default) or 2 (the original FC 2.0 environment); got ${JSON.stringify(props.fcVersion)}.`);
  }
  const fc2 = props.fcVersion === 2;

  if (props.webhookUrl !== undefined) {
    if (typeof props.webhookUrl !== 'string' || props.webhookUrl.trim() === '') {
      throw new SlackForwarderPropsError('webhookUrl', 'must be a non-empty string (better: a token such as a sensitive TerraformVariable), or be omitted to get a sensitive variable.');
    }
    if (literal(props.webhookUrl)) {
      const problem = checkWebhookUrl(props.webhookUrl);
      if (problem) throw new SlackForwarderPropsError('webhookUrl', `${problem}. Pass the Slack incoming-webhook URL (the value is not shown because it is a secret).`);
    }
  }
  checkName(props.webhookUrlVariableName, 'webhookUrlVariableName', TF_NAME, 'a Terraform identifier (letters, digits, _ and -, starting with a letter or _)');
  checkName(props.functionName, 'functionName', FC_NAME, '1-64 characters of letters, digits, _ and -, starting with a letter or _');
  checkName(props.serviceName, 'serviceName', FC_NAME, '1-64 characters of letters, digits, _ and -, starting with a letter or _');
  checkName(props.eventRuleName, 'eventRuleName', FC_NAME, '1-64 characters of letters, digits, _ and -, starting with a letter or _');
  if (!fc2) {
    if (props.serviceName !== undefined) throw new SlackForwarderPropsError('serviceName', 'applies to FC 2.0 only (FC 3.0 has no services). Remove it or set fcVersion: 2.');
    if (props.eventRuleName !== undefined) throw new SlackForwarderPropsError('eventRuleName', 'applies to FC 2.0 only (FC 3.0 uses an EventBridge trigger). Remove it or set fcVersion: 2.');
  } else {
    if (props.httpTrigger === true) throw new SlackForwarderPropsError('httpTrigger', 'is not available with fcVersion: 2 (the FC 2.0 function is an event function). Use fcVersion: 3 for the HTTP trigger.');
    if (props.asyncInvoke !== undefined) throw new SlackForwarderPropsError('asyncInvoke', 'applies to FC 3.0 only. Remove it or use fcVersion: 3.');
    if (props.manageServiceLinkedRole !== undefined) throw new SlackForwarderPropsError('manageServiceLinkedRole', 'applies to FC 3.0 only (the EventBridge trigger). Remove it or use fcVersion: 3.');
    if (props.eventSource && props.eventSource.actionTrail !== undefined) {
      throw new SlackForwarderPropsError('eventSource.actionTrail', 'applies to FC 3.0 only (CloudMonitor event rules carry system events, not ActionTrail). Remove it or use fcVersion: 3.');
    }
  }
  if (props.manageServiceLinkedRole !== undefined && typeof props.manageServiceLinkedRole !== 'boolean') {
    throw new SlackForwarderPropsError('manageServiceLinkedRole', `must be true or false; got ${JSON.stringify(props.manageServiceLinkedRole)}.`);
  }
  if (props.runtime !== undefined && props.runtime !== 'nodejs20' && props.runtime !== 'nodejs18') {
    throw new SlackForwarderPropsError('runtime', `must be 'nodejs20' or 'nodejs18' (the bundle targets Node.js 20 syntax that 18 also runs); got ${JSON.stringify(props.runtime)}.`);
  }
  // The provider's own range of memory_size (FC 3.0: 64-32768, FC 2.0: 128-32768), at least 128 MB as FC documents.
  const memory = numberRange(fc2 ? 'alicloud_fc_function' : 'alicloud_fcv3_function', 'memory_size');
  checkInt(props.memorySize, 'memorySize', Math.max(128, memory?.min ?? 128), memory?.max ?? 32768, (n) => (n % 64 === 0 ? undefined : `must be a multiple of 64 MB; got ${n}.`));
  checkInt(props.timeout, 'timeout', 3, 600);
  if (props.region !== undefined && (typeof props.region !== 'string' || props.region === '')) throw new SlackForwarderPropsError('region', 'must be a region id like cn-hangzhou.');

  if (props.eventSource !== undefined && props.eventSource !== false) {
    checkKeys(props.eventSource, 'eventSource', ['products', 'eventTypes', 'levels', 'actionTrail']);
    const actionTrail = props.eventSource.actionTrail;
    if (actionTrail !== undefined && typeof actionTrail !== 'boolean') throw new SlackForwarderPropsError('eventSource.actionTrail', `must be true or false; got ${JSON.stringify(actionTrail)}.`);
    const { products, eventTypes, levels } = props.eventSource;
    if (products !== undefined) {
      if (!Array.isArray(products) || products.length === 0) {
        throw new SlackForwarderPropsError('eventSource.products', "is empty; give at least one product such as ['ECS'], or set eventSource: false for no event route.");
      }
      products.forEach((p, i) => checkName(p, `eventSource.products[${i}]`, PRODUCT, "a product code such as 'ECS' or 'RDS'"));
    }
    const prefixes = (products ?? ['ECS']).map((p) => `${String(p).toLowerCase()}:`);
    if (eventTypes !== undefined) {
      if (!Array.isArray(eventTypes) || eventTypes.length === 0) {
        throw new SlackForwarderPropsError('eventSource.eventTypes', "is empty; list EventBridge types such as 'ecs:Instance:StateChange', or omit it for every type.");
      }
      eventTypes.forEach((t, i) => {
        checkName(t, `eventSource.eventTypes[${i}]`, EVENT_TYPE, "an EventBridge event type such as 'ecs:Instance:StateChange'");
        if (literal(t) && !prefixes.some((p) => t.toLowerCase().startsWith(p))) {
          throw new SlackForwarderPropsError(`eventSource.eventTypes[${i}]`, `"${t}" belongs to none of the products (${prefixes.join(', ')}); add its product to eventSource.products.`);
        }
      });
    }
    if (levels !== undefined) {
      if (!Array.isArray(levels) || levels.length === 0) throw new SlackForwarderPropsError('eventSource.levels', 'is empty; list CRITICAL, WARN and/or INFO, or omit it for every level.');
      levels.forEach((l, i) => {
        if (!LEVELS.includes(l)) throw new SlackForwarderPropsError(`eventSource.levels[${i}]`, `must be one of ${LEVELS.join(', ')}; got ${JSON.stringify(l)}.`);
      });
    }
  } else if (props.eventSource === false && fc2) {
    throw new SlackForwarderPropsError('eventSource', 'cannot be false with fcVersion: 2: the CloudMonitor event rule is the only way events reach the FC 2.0 function.');
  }

  if (props.asyncInvoke !== undefined) {
    checkKeys(props.asyncInvoke, 'asyncInvoke', ['maxRetries', 'maxEventAgeSeconds', 'onFailureDestination']);
    checkInt(props.asyncInvoke.maxRetries, 'asyncInvoke.maxRetries', 0, 8);
    const maxAge = numberRange('alicloud_fcv3_async_invoke_config', 'max_async_event_age_in_seconds');
    checkInt(props.asyncInvoke.maxEventAgeSeconds, 'asyncInvoke.maxEventAgeSeconds', 1, maxAge?.max ?? 86400);
    const dest = props.asyncInvoke.onFailureDestination;
    if (dest !== undefined && literal(dest) && destinationAction(dest) === undefined) {
      throw new SlackForwarderPropsError(
        'asyncInvoke.onFailureDestination',
        `must be the ARN of an MNS queue or topic (acs:mns:...), a function (acs:fc:...) or an EventBridge bus (acs:eventbridge:...); got ${JSON.stringify(dest)}.`,
      );
    }
  }

  if (props.logs !== undefined) {
    checkKeys(props.logs, 'logs', ['projectName', 'logstoreName', 'retentionDays']);
    checkName(props.logs.projectName, 'logs.projectName', LOG_PROJECT, '3-63 characters of lower-case letters, digits and -, starting and ending with a letter or digit');
    checkName(props.logs.logstoreName, 'logs.logstoreName', LOG_STORE, '2-63 characters of lower-case letters, digits, _ and -');
    checkInt(props.logs.retentionDays, 'logs.retentionDays', 1, 3650);
  }

  const environment = props.environment ?? {};
  checkKeys(props.environment, 'environment', Object.keys(environment));
  for (const [name, value] of Object.entries(environment)) {
    // A bad name is not echoed: it may be a webhook URL pasted in the wrong place.
    if (!ENV_NAME.test(name)) throw new SlackForwarderPropsError('environment', 'has a key that is not a valid environment variable name (letters, digits and _, not starting with a digit).');
    if (RESERVED_ENV.includes(name)) throw new SlackForwarderPropsError(`environment.${name}`, `is reserved; use ${name === 'SLACK_WEBHOOK_URL' ? 'webhookUrl' : name === 'ECS_PULSE_CONFIG' ? 'config' : 'the generated token (httpTrigger)'} instead.`);
    if (typeof value !== 'string') throw new SlackForwarderPropsError(`environment.${name}`, 'must be a string.');
  }

  if (props.config !== undefined) {
    if (!isObject(props.config)) throw new SlackForwarderPropsError('config', 'must be an object (the ECS_PULSE_CONFIG JSON).');
    // Validate with the function's own loader: route webhooks referenced by webhookUrlEnv must come from `environment`.
    const placeholder = 'https://hooks.slack.com/services/T000/B000/placeholder';
    const env: Record<string, string> = { SLACK_WEBHOOK_URL: placeholder, ECS_PULSE_HTTP_TOKEN: 'x'.repeat(32), ECS_PULSE_CONFIG: JSON.stringify(props.config) };
    for (const [name, value] of Object.entries(environment)) env[name] = literal(value) ? value : placeholder;
    // --- issue 19 hook: bot tokens come from sensitive variables (bot-tokens.ts) unless environment gives them ---
    checkBotTokenProps(props);
    for (const name of botTokenEnvNames(props)) if (!literal(environment[name])) env[name] = BOT_TOKEN_PLACEHOLDER;
    const result = loadConfig(env);
    if (!result.ok) {
      const issues = result.issues.map((i) => i.replace(/^ECS_PULSE_CONFIG\.?/, 'config.'));
      throw new SlackForwarderPropsError('config', `is invalid: ${issues.join('; ')}. Environment variables named by webhookUrlEnv must be passed in the environment prop.`);
    }
  }

  if (props.selfMonitoring !== undefined) {
    checkKeys(props.selfMonitoring, 'selfMonitoring', ['contactGroups', 'webhook', 'metric', 'statistics', 'threshold', 'periodSeconds']);
    checkName(props.selfMonitoring.statistics, 'selfMonitoring.statistics', /^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'a CloudMonitor statistic the metric offers, such as Value');
    const groups = props.selfMonitoring.contactGroups;
    if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => typeof g !== 'string' || g === '')) {
      throw new SlackForwarderPropsError('selfMonitoring.contactGroups', 'must list at least one CloudMonitor alarm contact group name.');
    }
    checkName(props.selfMonitoring.metric, 'selfMonitoring.metric', /^[A-Za-z][A-Za-z0-9_.]{0,127}$/, 'an acs_fc metric name such as FunctionErrors');
    checkInt(props.selfMonitoring.threshold, 'selfMonitoring.threshold', 1, 1_000_000);
    checkInt(props.selfMonitoring.periodSeconds, 'selfMonitoring.periodSeconds', 60, 86400, (n) => (n % 60 === 0 ? undefined : `must be a multiple of 60 seconds; got ${n}.`));
  }
  checkName(props.outputPrefix, 'outputPrefix', OUTPUT_PREFIX, 'empty, or a letter followed by letters, digits, _ and - (e.g. "alerts_")');
  if (props.tags !== undefined) {
    checkKeys(props.tags, 'tags', Object.keys(props.tags));
    for (const [k, v] of Object.entries(props.tags)) {
      if (typeof v !== 'string') throw new SlackForwarderPropsError(`tags.${k}`, 'must be a string.');
    }
  }
}

/**
 * The single RAM action the function role needs to hand failed events to `destination`, or undefined when
 * the ARN is not a supported destination.
 */
export function destinationAction(destination: string): string | undefined {
  if (destination.startsWith('acs:mns:')) return destination.includes('/topics/') ? 'mns:PublishMessage' : 'mns:SendMessage';
  if (destination.startsWith('acs:fc:')) return 'fc:InvokeFunction';
  if (destination.startsWith('acs:eventbridge:')) return 'eventbridge:PutEvents';
  return undefined;
}
