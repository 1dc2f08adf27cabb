import { createHash, randomUUID } from 'node:crypto';
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { Logger } from '../../app/log.js';
import { DEFAULT_API_TIMEOUT_MS, elapsed, errorSummary, sleep, withTimeout } from './api-call.js';

/**
 * The retry key of the answer to one webhook event: a UUID made from its webhookEventId, so that the answer pushed
 * again — a retry, or the event taken over by another instance after this one stopped — is delivered once. LINE
 * keeps a retry key for 24 hours, longer than an event waits in a queue.
 */
export function pushRetryKey(webhookEventId: string): string {
  const h = createHash('sha256').update(`line-answer:${webhookEventId}`).digest('hex');
  // Version 4 and RFC 4122 variant bits, so it is a well-formed UUID as LINE asks.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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
    this.apiTimeoutMs = opts.apiTimeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  }

  /**
   * True when LINE accepted the messages (now or on an earlier attempt). Never throws. `retryKey`: one that stands
   * for what is sent (see pushRetryKey) — a push made again for it, by any instance, is then delivered once.
   */
  async push(to: string, messages: messagingApi.Message[], log: Record<string, unknown> = {}, retryKey: string = randomUUID()): Promise<boolean> {
    const { client, logger } = this.opts;
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
