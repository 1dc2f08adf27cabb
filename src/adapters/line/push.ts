import { randomUUID } from 'node:crypto';
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { Logger } from '../../app/log.js';
import { elapsed, errorSummary, sleep, withTimeout } from './api-call.js';

export interface LinePusherOptions {
  client: Pick<messagingApi.MessagingApiClient, 'pushMessage'>;
  logger: Logger;
  /** Waits between attempts; attempts = length + 1. Default [100, 400] → 3 attempts. */
  retryDelaysMs?: readonly number[];
  apiTimeoutMs?: number;
}

/**
 * Push messages with one retry key for all attempts, so a retry after a timeout or 5xx can never deliver twice
 * (LINE answers 409 when the key was already accepted). 429, 5xx and network failures are retried, a bounded
 * number of times; anything else is final.
 */
export class LinePusher {
  private readonly retryDelays: readonly number[];
  private readonly apiTimeoutMs: number;

  constructor(private readonly opts: LinePusherOptions) {
    this.retryDelays = opts.retryDelaysMs ?? [100, 400];
    this.apiTimeoutMs = opts.apiTimeoutMs ?? 10_000;
  }

  /** True when LINE accepted the messages (now or on an earlier attempt). Never throws. */
  async push(to: string, messages: messagingApi.Message[], log: Record<string, unknown> = {}): Promise<boolean> {
    const { client, logger } = this.opts;
    const retryKey = randomUUID();
    const attempts = this.retryDelays.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const t0 = performance.now();
      try {
        await withTimeout(client.pushMessage({ to, messages }, retryKey), this.apiTimeoutMs);
        logger.info({ ...log, api: 'push', attempt, status: 200, ms: elapsed(t0) }, 'line push sent');
        return true;
      } catch (err) {
        const status = err instanceof HTTPFetchError ? err.status : undefined;
        if (status === 409) {
          // The retry key was already accepted: an earlier attempt got through.
          logger.info({ ...log, api: 'push', attempt, status, ms: elapsed(t0) }, 'line push already accepted (409)');
          return true;
        }
        const retryable = status === undefined || status === 429 || status >= 500;
        const delay = this.retryDelays[attempt - 1];
        if (!retryable || delay === undefined) {
          logger.error({ ...log, api: 'push', attempt, ms: elapsed(t0), ...errorSummary(err) }, 'line push failed');
          return false;
        }
        logger.warn({ ...log, api: 'push', attempt, ms: elapsed(t0), retryInMs: delay, ...errorSummary(err) }, 'line push failed, retrying');
        await sleep(delay);
      }
    }
    return false;
  }
}
