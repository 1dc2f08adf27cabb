import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { Logger } from '../../app/log.js';
import type { OutputChannel } from '../../app/conversation/output-channel.js';
import type { Response as Answer } from '../../core/conversation/types.js';
import { loggableDecision } from '../observability/log-privacy.js';
import { elapsed, errorSummary, sleep, withTimeout } from './api-call.js';
import { pushRetryKey, type LinePusher } from './push.js';
import { renderLine } from './render.js';

/**
 * How a turn's answer reaches LINE — the only path for it: by the event's reply token, else by push with the
 * event's retry key. The webhook builds one TurnOutput per event and hands it to the conversation service as its
 * output channel, for a new turn and a resumed one alike (the simulator's events come through the same webhook).
 */

export interface LineRepliesOptions {
  client: Pick<messagingApi.MessagingApiClient, 'replyMessage'>;
  pusher: LinePusher;
  logger: Logger;
  apiTimeoutMs: number;
  /** Waits between reply attempts with the same token after a 5xx or a timeout (then a push); attempts = length + 1. */
  replyRetryDelaysMs: readonly number[];
}

/** The event an answer belongs to. */
export interface TurnTarget {
  chatId: string;
  replyToken?: string;
  eventId?: string;
  /** When this instance (or the one it took the event over from) accepted the event: the reply token's age. */
  acceptedAt: number;
  /** Another instance started this event and stopped: a reply of its may have got through. */
  resumed: boolean;
}

/**
 * How long after an event was accepted its reply token is trusted: LINE keeps one for about a minute. Within this
 * time, a 400 for a token one of our attempts may have used can only mean that attempt got through.
 */
export const REPLY_TOKEN_TRUSTED_MS = 50_000;

export class LineReplies {
  constructor(private readonly opts: LineRepliesOptions) {}

  /**
   * Sends by reply, else by push; what happened is returned for the event's one log line.
   *
   * Nothing lost, nothing doubled. A reply cannot carry a retry key, but its token works once: a reply sent again with
   * the same token is delivered only if no earlier attempt was, and is refused with 400 otherwise. So after a 5xx or
   * a timeout (LINE may have taken the reply) we send the *reply* again rather than a push, and a 400 on a token we
   * may already have used, while it is still fresh, means an earlier attempt got through: sent once, stop. A push
   * follows only when LINE did not take the reply: 400 on a first attempt (expired or invalid token), 429, or every
   * attempt failed. The push's retry key is made from the event id, so retries and another instance taking the
   * event over are delivered once too. One case is left: every reply attempt in doubt (all timed out or 5xx) and
   * one of them in fact delivered — then the push shows the answer twice; we prefer that to saying nothing.
   */
  async send(target: TurnTarget, messages: messagingApi.Message[], log: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { client, logger, apiTimeoutMs, replyRetryDelaysMs } = this.opts;
    if (target.replyToken) {
      // An earlier attempt — ours, or that of an instance that stopped in the middle of this event — may have got through.
      let doubt = target.resumed;
      for (let attempt = 1; ; attempt++) {
        const t0 = performance.now();
        try {
          await withTimeout(client.replyMessage({ replyToken: target.replyToken, messages }), apiTimeoutMs);
          return { api: 'reply', status: 200, apiMs: elapsed(t0), ...(attempt > 1 ? { attempt } : {}) };
        } catch (err) {
          const status = err instanceof HTTPFetchError ? err.status : undefined;
          const age = Date.now() - target.acceptedAt;
          const fresh = age < REPLY_TOKEN_TRUSTED_MS;
          if (status === 400 && doubt && fresh) {
            logger.info({ ...log, api: 'reply', attempt, status, ms: elapsed(t0) }, 'line reply token already used by an earlier attempt: sent once');
            return { api: 'reply', status: 400, sent: 'earlier', attempt };
          }
          const inDoubt = status === undefined || status >= 500;
          doubt ||= inDoubt;
          const delay = replyRetryDelaysMs[attempt - 1];
          // Another try while the token is surely still valid (a 429 is worth one only if an earlier attempt is in doubt).
          const again = (inDoubt || (status === 429 && doubt)) && delay !== undefined && age + delay + apiTimeoutMs < REPLY_TOKEN_TRUSTED_MS;
          if (again) {
            logger.warn(
              { ...log, api: 'reply', attempt, ms: elapsed(t0), retryInMs: delay, ...errorSummary(err) },
              'line reply failed, retrying with the same token',
            );
            await sleep(delay);
            continue;
          }
          if (!inDoubt && status !== 400 && status !== 429) {
            // 401, 403, 413…: a push would be refused alike.
            logger.error({ ...log, api: 'reply', attempt, ms: elapsed(t0), ...errorSummary(err) }, 'line reply failed');
            return { api: 'reply', status };
          }
          logger.warn({ ...log, api: 'reply', attempt, ms: elapsed(t0), ...errorSummary(err) }, 'line reply failed, pushing instead');
          break;
        }
      }
    }
    return { api: 'push', sent: await this.opts.pusher.push(target.chatId, messages, log, target.eventId ? pushRetryKey(target.eventId) : undefined) };
  }
}

/**
 * One event's output channel: renders the answer as LINE messages and sends them through LineReplies. What was
 * decided and how it went out is kept in `outcome` for the event's one log line.
 */
export class TurnOutput implements OutputChannel {
  /** Decision, message counts and delivery, for the log; empty until the answer is sent. */
  outcome: Record<string, unknown> = {};

  constructor(
    private readonly replies: LineReplies,
    private readonly target: TurnTarget & { incoming: string },
    private readonly log: Record<string, unknown>,
    /** Called as the answer goes out (the webhook stops its loading-animation timer). */
    private readonly onSend: () => void = () => undefined,
    private readonly t0: number = performance.now(),
  ) {}

  async send(response: Answer): Promise<void> {
    this.onSend();
    const { messages, dropped } = renderLine(response.replies, response.quickReplies);
    const decided = { incoming: this.target.incoming, ...loggableDecision(response.decision), messages: messages.length, dropped };
    this.outcome = { ...decided, decidedMs: elapsed(this.t0) };
    if (messages.length) this.outcome = { ...this.outcome, ...(await this.replies.send(this.target, messages, { ...this.log, ...decided })) };
  }
}
