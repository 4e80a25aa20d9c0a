import { SlackNotifierError } from './errors.js';
import type { RateLimitedSender, SendOutcome } from './rate-limit.js';
import { resolveOptions, toSlackMessage, type ToSlackMessageOptions } from './render.js';
import type { NotifiableAlert } from './types.js';

/**
 * Options of {@link AlertDigestQueue}.
 *
 * @example
 * ```ts
 * const options: AlertDigestQueueOptions = { maxAlertsPerMessage: 50, render: { environment: 'prod' } };
 * ```
 */
export interface AlertDigestQueueOptions {
  /**
   * Most alerts folded into one digest. The default keeps one listed line per alert within Slack's size
   * limits, so every alert is named in some message.
   * @default 50
   */
  readonly maxAlertsPerMessage?: number;
  /**
   * Options passed to {@link toSlackMessage} for every message.
   * @default {}
   */
  readonly render?: ToSlackMessageOptions;
}

/**
 * One message sent (or not) by an {@link AlertDigestQueue}: which alerts it carried and what happened.
 *
 * @example
 * ```ts
 * for (const d of report.deliveries) if (!d.outcome.ok) console.error(d.alertIds, d.outcome.error.code);
 * ```
 */
export interface DigestDelivery {
  readonly alertIds: readonly string[];
  readonly outcome: SendOutcome;
}

/**
 * Totals of an {@link AlertDigestQueue} since it was created. `alertsQueued = alertsDelivered +
 * alertsFailed + alertsPending`: no alert is silently dropped.
 *
 * @example
 * ```ts
 * const report = await queue.drain();
 * if (report.alertsFailed > 0) throw new Error('some alerts did not reach Slack');
 * ```
 */
export interface DigestReport {
  readonly alertsQueued: number;
  readonly alertsDelivered: number;
  readonly alertsFailed: number;
  readonly alertsPending: number;
  readonly messagesSent: number;
  readonly messagesFailed: number;
  /** Every message, in send order. */
  readonly deliveries: readonly DigestDelivery[];
  /** The alerts of failed messages, to retry or report elsewhere. */
  readonly failedAlerts: readonly NotifiableAlert[];
}

/**
 * Turns a storm of alerts into digests instead of 429s. Pushed alerts wait in a queue; whenever the
 * {@link RateLimitedSender} has a token, everything queued (up to `maxAlertsPerMessage`) becomes one message
 * (a single-alert message when only one is waiting). Alerts that arrive while tokens are exhausted simply
 * join the next digest. Outcomes are reported per message; nothing is swallowed.
 *
 * @example
 * ```ts
 * import { AlertDigestQueue, RateLimitedSender, SlackWebhook } from '@ecs-pulse/slack-notifier';
 *
 * const queue = new AlertDigestQueue(new RateLimitedSender(new SlackWebhook(url)), { render: { environment: 'prod' } });
 * queue.push(alerts);
 * const report = await queue.drain();
 * console.log(report.messagesSent, report.alertsFailed);
 * ```
 */
export class AlertDigestQueue {
  readonly #sender: RateLimitedSender;
  readonly #max: number;
  readonly #render: ToSlackMessageOptions | undefined;
  readonly #queue: NotifiableAlert[] = [];
  readonly #deliveries: DigestDelivery[] = [];
  readonly #failedAlerts: NotifiableAlert[] = [];
  #pump: Promise<void> | undefined;
  #queued = 0;
  #delivered = 0;
  #failed = 0;

  constructor(sender: RateLimitedSender, options: AlertDigestQueueOptions = {}) {
    const issues: string[] = [];
    for (const key of Object.keys(options ?? {})) if (key !== 'maxAlertsPerMessage' && key !== 'render') issues.push(`${key}: unknown option`);
    const max = options.maxAlertsPerMessage ?? 50;
    if (!Number.isInteger(max) || max < 1) issues.push('maxAlertsPerMessage: must be an integer ≥ 1');
    if (!sender || typeof (sender as { send?: unknown }).send !== 'function') issues.push('sender: must be a RateLimitedSender');
    if (issues.length) throw new SlackNotifierError('INVALID_OPTIONS', `Invalid AlertDigestQueue options:\n- ${issues.join('\n- ')}`);
    resolveOptions(options.render);
    this.#sender = sender;
    this.#max = max;
    this.#render = options.render;
  }

  /**
   * Adds alerts; sending starts at once in the background. Call {@link AlertDigestQueue.drain} to wait.
   *
   * @example
   * ```ts
   * queue.push(alert);
   * queue.push([a, b, c]);
   * ```
   */
  push(alerts: NotifiableAlert | readonly NotifiableAlert[]): void {
    const list = Array.isArray(alerts) ? (alerts as readonly NotifiableAlert[]) : [alerts as NotifiableAlert];
    this.#queue.push(...list);
    this.#queued += list.length;
    if (!this.#pump && this.#queue.length) this.#pump = this.#run().finally(() => (this.#pump = undefined));
  }

  /**
   * Resolves when every alert pushed so far was delivered or failed, with the totals.
   *
   * @example
   * ```ts
   * const report = await queue.drain();
   * ```
   */
  async drain(): Promise<DigestReport> {
    while (this.#pump) await this.#pump;
    return this.report();
  }

  /**
   * Totals so far (without waiting).
   *
   * @example
   * ```ts
   * console.log(queue.report().alertsPending);
   * ```
   */
  report(): DigestReport {
    const deliveries = [...this.#deliveries];
    return {
      alertsQueued: this.#queued,
      alertsDelivered: this.#delivered,
      alertsFailed: this.#failed,
      alertsPending: this.#queued - this.#delivered - this.#failed,
      messagesSent: deliveries.filter((d) => d.outcome.ok).length,
      messagesFailed: deliveries.filter((d) => !d.outcome.ok).length,
      deliveries,
      failedAlerts: [...this.#failedAlerts],
    };
  }

  async #run(): Promise<void> {
    while (this.#queue.length) {
      let batch: NotifiableAlert[] = [];
      const outcome = await this.#sender.send(() => {
        batch = this.#queue.splice(0, this.#max);
        return toSlackMessage(batch, this.#render);
      });
      this.#deliveries.push({ alertIds: batch.map((a) => a.id), outcome });
      if (outcome.ok) this.#delivered += batch.length;
      else {
        this.#failed += batch.length;
        this.#failedAlerts.push(...batch);
      }
    }
  }
}
