import { callApi } from '../cloud/call.js';
import { cmsClient } from '../cloud/clients.js';
import { batches, CMS_LIMITS, timeWindows } from '../cloud/paging.js';
import { clientSettings, resolveRegion } from '../cloud/config.js';
import { CliError } from '../errors.js';
import { parseSince, table } from '../format.js';
import { resolveIo, type CommonOptions } from '../io.js';
import { M } from '../messages.js';
import { loadStackInfo, type StackRef } from '../stack.js';

/**
 * Options of {@link alarms}.
 *
 * @example
 * ```ts
 * import type { AlarmsOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface AlarmsOptions extends CommonOptions, StackRef {
  /** Region. @default - stack output, else ALIBABA_CLOUD_REGION_ID */
  readonly region?: string;
  /** Only rules whose name contains this text. @default - the stack's `alarm_rule_ids` output; all ECS rules only without a stack that has it */
  readonly name?: string;
  /** Alert history window: `1h`, `1d`, ... @default '1d' */
  readonly since?: string;
  /** Clock (tests). @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * One alarm rule and its state.
 *
 * @example
 * ```ts
 * import type { AlarmRule } from '@ecs-pulse/cli';
 * ```
 */
export interface AlarmRule {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly metric: string;
  readonly namespace: string;
  /** `OK`, `ALARM`, `INSUFFICIENT_DATA`. */
  readonly state: string;
  readonly enabled: boolean;
  /** Whether the rule posts to a webhook (the URL itself is never shown). */
  readonly hasWebhook: boolean;
}

/**
 * One entry of the alert history.
 *
 * @example
 * ```ts
 * import type { AlertLogEntry } from '@ecs-pulse/cli';
 * ```
 */
export interface AlertLogEntry {
  readonly time: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly instanceId: string;
  readonly level: string;
  readonly levelChange: string;
  readonly sendStatus: string;
  readonly message: string;
}

/**
 * Result of {@link alarms}.
 *
 * @example
 * ```ts
 * import type { AlarmsResult } from '@ecs-pulse/cli';
 * ```
 */
export interface AlarmsResult {
  readonly region: string;
  readonly rules: readonly AlarmRule[];
  readonly history: readonly AlertLogEntry[];
}

/**
 * The state of the stack's CloudMonitor metric alarms (`DescribeMetricRuleList`) and their recent
 * alert history (`DescribeAlertLogList`), both paginated to the end. The rules are the stack's
 * `alarm_rule_ids` output (StressHost); a stack whose list is empty has no alarms, so nothing is read.
 * Only without such an output (no deployed stack, or an older one) are all `acs_ecs_dashboard` rules listed.
 *
 * @example
 * ```ts
 * const { rules, history } = await alarms({ region: 'cn-hangzhou', since: '6h' });
 * ```
 */
export async function alarms(options: AlarmsOptions = {}): Promise<AlarmsResult> {
  const io = resolveIo(options);
  const now = (options.now ?? (() => new Date()))();
  const since = parseSince(options.since ?? '1d', now);
  if (since === undefined) throw new CliError('USAGE', M.badDuration('since', options.since));
  let info;
  if (options.region === undefined || options.name === undefined) {
    try {
      info = await loadStackInfo(options, io);
    } catch (e) {
      if (options.region === undefined && io.env.ALIBABA_CLOUD_REGION_ID === undefined) throw e;
    }
  }
  const region = resolveRegion(options.region, info?.region, io.env);
  const ruleIds = options.name === undefined ? info?.alarmRuleIds : undefined;
  if (ruleIds !== undefined && ruleIds.length === 0) {
    // The stack says it has no alarms: listing every ECS rule of the account would show someone else's.
    const result = { region, rules: [], history: [] };
    if (io.json) io.out(JSON.stringify(result, null, 2));
    else io.out(io.paint.dim(M.stackHasNoAlarms()));
    return result;
  }
  if (ruleIds === undefined && options.name === undefined && info !== undefined && !io.json) io.err(io.paint.dim(M.noAlarmRuleIdsOutput()));
  const { client, models } = await cmsClient(await clientSettings('cms', region, io.env));
  const progress = io.progress(`CloudMonitor: reading alarm rules in ${region}`);
  const rules: AlarmRule[] = [];
  const history: AlertLogEntry[] = [];
  try {
    // RuleIds takes at most 20 ids per call: one query per batch (a single query without ids otherwise).
    const queries: Array<Record<string, string>> = ruleIds
      ? batches(ruleIds, CMS_LIMITS.ruleIdsPerCall).map((ids) => ({ ruleIds: ids.join(',') }))
      : [options.name ? { ruleName: options.name } : { namespace: 'acs_ecs_dashboard' }];
    for (const query of queries) {
      let collected = 0;
      for (let page = 1; page <= 100; page++) {
        const res = await callApi(
          { product: 'CloudMonitor', action: 'DescribeMetricRuleList', region },
          () => client.describeMetricRuleList(new models.DescribeMetricRuleListRequest({ page, pageSize: 100, ...query })),
          io.env,
        );
        const items = res.body?.alarms?.alarm ?? [];
        collected += items.length;
        for (const a of items) {
          rules.push({
            ruleId: a.ruleId ?? '',
            ruleName: a.ruleName ?? '',
            metric: a.metricName ?? '',
            namespace: a.namespace ?? '',
            state: a.alertState ?? 'UNKNOWN',
            enabled: a.enableState === true,
            hasWebhook: typeof a.webhook === 'string' && a.webhook !== '',
          });
        }
        if (items.length === 0 || collected >= Number(res.body?.total ?? 0)) break;
      }
    }
    progress.update('CloudMonitor: reading the alert history');
    const keep = new Set(ruleIds ?? rules.map((r) => r.ruleId));
    // DescribeAlertLogList answers at most 15 days per call: read the window newest first, 15 days at a time.
    for (const window of timeWindows(since.getTime(), now.getTime(), CMS_LIMITS.alertLogWindowMs)) {
      for (let page = 1; page <= 100; page++) {
        const res = await callApi(
          { product: 'CloudMonitor', action: 'DescribeAlertLogList', region },
          () =>
            client.describeAlertLogList(
              new models.DescribeAlertLogListRequest({
                startTime: window.start,
                endTime: window.end,
                pageNumber: page,
                pageSize: 100,
                ...(options.name ? { searchKey: options.name } : {}),
              }),
            ),
          io.env,
        );
        const items = res.body?.alertLogList ?? [];
        for (const l of items) {
          if (keep.size > 0 && l.ruleId && !keep.has(l.ruleId)) continue;
          history.push({
            time: l.alertTime ? new Date(Number(l.alertTime)).toISOString() : '',
            ruleId: l.ruleId ?? '',
            ruleName: l.ruleName ?? '',
            instanceId: l.instanceId ?? '',
            level: l.level ?? '',
            levelChange: l.levelChange ?? '',
            sendStatus: l.sendStatus ?? '',
            message: l.message ?? '',
          });
        }
        // A page shorter than the size the service says it used is the last one.
        if (items.length === 0 || items.length < (Number(res.body?.pageSize) || 100)) break;
      }
    }
    progress.succeed(`CloudMonitor: ${rules.length} rule(s), ${history.length} alert(s)`);
  } catch (e) {
    progress.fail();
    throw e;
  }
  const result = { region, rules, history };
  if (io.json) io.out(JSON.stringify(result, null, 2));
  else {
    const p = io.paint;
    if (rules.length === 0) io.out(p.dim(M.noAlarms()));
    else {
      const state = (s: string) => (s === 'ALARM' ? p.red(s) : s === 'OK' ? p.green(s) : p.yellow(s));
      io.out(table([['rule', 'metric', 'state', 'enabled', 'webhook'], ...rules.map((r) => [r.ruleName || r.ruleId, r.metric, state(r.state), r.enabled ? 'yes' : 'no', r.hasWebhook ? 'yes' : 'no'])], p.bold));
    }
    io.out('');
    io.out(`${p.bold('Alert history')} since ${since.toISOString()}: ${history.length}`);
    if (history.length > 0) {
      io.out(table([['time', 'rule', 'instance', 'level', 'change', 'sent'], ...history.map((h) => [h.time, h.ruleName || h.ruleId, h.instanceId, h.level, h.levelChange, h.sendStatus])], p.bold));
    }
  }
  return result;
}
