import { logPseudonym } from '../observability/log-privacy.js';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { JSONParseError, SignatureValidationFailed, middleware, type messagingApi, type webhook } from '@line/bot-sdk';
import type { ConversationHandler } from '../../app/conversation/service-types.js';
import type { Incoming } from '../../core/conversation/types.js';
import type { Logger } from '../../app/log.js';
import { DEFAULT_API_TIMEOUT_MS, elapsed, errorSummary, withTimeout } from './api-call.js';
import { routeEvent, type EventRoute } from './events.js';
import { LinePusher } from './push.js';
import type { SeenEvents } from './seen-events.js';

export type { SeenEvents } from './seen-events.js';
import { LineReplies, TurnOutput } from './turn-output.js';
import { MemoryUserOrder, type UserOrder, type UserOrderFactory } from './user-order.js';
import { RichMenuLinks } from './richmenu-link.js';

/**
 * The part of the SDK's MessagingApiClient the bot uses; the real client, a stub-backed one or LocalLineApi. The
 * profile (for the parent's language at follow) and the per-user rich menu link are optional: without them the bot
 * speaks 日本語 until the parent chooses, and everyone sees the default menu.
 */
export type LineClient = Pick<messagingApi.MessagingApiClient, 'replyMessage' | 'pushMessage' | 'showLoadingAnimation'> &
  Partial<Pick<messagingApi.MessagingApiClient, 'getProfile' | 'getRichMenuList' | 'linkRichMenuIdToUser' | 'unlinkRichMenuIdFromUser'>>;

export interface LineWebhookOptions {
  channelSecret: string;
  client: LineClient;
  handler: ConversationHandler;
  /** Duplicate detection where the per-person order does not do it (see UserOrder). */
  seenEvents: SeenEvents;
  logger: Logger;
  /** Route path (default `/webhook`). */
  path?: string;
  /** Largest accepted body; LINE's own bodies are far smaller. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Waits between push attempts; attempts = length + 1. Default [100, 400] → 3 attempts. */
  pushRetryDelaysMs?: readonly number[];
  /**
   * The SDK has no timeout of its own; each LINE API call is abandoned after this long. Default 10 s. Give the client
   * the same deadline (lineConnection does) so that it closes the connection of a call abandoned here.
   */
  apiTimeoutMs?: number;
  /**
   * Waits between reply attempts with the same token after a 5xx or a timeout (then a push); attempts = length + 1.
   * Default [250, 1000].
   */
  replyRetryDelaysMs?: readonly number[];
  /** Show LINE's loading animation when an answer takes longer than this (one-to-one chats only). Default 1000 ms. */
  loadingAfterMs?: number;
  /** Keeps each person's events in order; default: within this process. Several instances share a Redis one. */
  userOrder?: UserOrderFactory;
  /**
   * The 200 waits until the body's events are in the order's keeping (queued in Redis), for at most this long: LINE
   * sends no event again once it has its 200, so an instance that died in between would lose it. LINE records a
   * delivery without an answer in 2 s as a timeout. Default 1500 ms.
   */
  ackWaitMs?: number;
  /** Local debugging: also log what people wrote (debug level). Never with a live channel. */
  logMessageText?: boolean;
  /** Counts events and times them from acceptance to the reply (Prometheus). */
  metrics?: { event(type: string): void; eventDone(seconds: number): void };
}

export type LineWebhookRouter = Router & {
  /** Resolves when every event accepted so far has been processed (tests; graceful shutdown). */
  drain(): Promise<void>;
  /** Shutdown after the drain budget: take nothing more; what was left unfinished (see RedisUserOrder.stop). */
  stop(): Promise<{ inRedis: number; local: number }>;
  /** Takes over the event queues other instances left in Redis (none without Redis); how many were found. */
  rescan(): Promise<number>;
};

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}
class BodyUnreadable extends Error {
  override name = 'BodyUnreadable';
}

type RawBodyRequest = Request & { rawBody?: Buffer };

const ACK_BODY = '{}';
const ACK_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(ACK_BODY.length) } as const;

/**
 * Reads the raw body into `req.rawBody` (which the LINE middleware verifies as-is), refusing more than `limit`
 * bytes: by the declared content-length before reading anything, and by counting while reading otherwise.
 */
function rawBodyWithLimit(limit: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      res.set('connection', 'close');
      next(new BodyTooLarge(`content-length ${declared} exceeds ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (err) {
        // Stop reading the rest; the connection is closed after the error response.
        res.set('connection', 'close');
        req.resume();
        next(err);
      } else {
        (req as RawBodyRequest).rawBody = Buffer.concat(chunks, size);
        next();
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(new BodyTooLarge(`body exceeds ${limit} bytes`));
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', () => finish(new BodyUnreadable('request body could not be read')));
    req.once('aborted', () => finish(new BodyUnreadable('request aborted')));
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * POST /webhook for LINE. Verifies the signature on the raw body (SDK middleware), answers 200 once the events are in
 * the order's keeping (queued in Redis; at most `ackWaitMs`) and then processes them: duplicates (same webhookEventId)
 * are skipped, one person's events are handled strictly in order, replies fall back to a push when the reply token is
 * no longer valid, pushes are retried with one retry key. Logs carry ids, event types, decisions, status codes and durations — never what people wrote.
 */
export function lineWebhook(opts: LineWebhookOptions): LineWebhookRouter {
  // Log lines name a person only by a keyed hash (src/adapters/observability/log-privacy.ts).
  const pseudonym = logPseudonym(opts.channelSecret);
  const { client, handler, seenEvents, logger } = opts;
  const path = opts.path ?? '/webhook';
  const apiTimeoutMs = opts.apiTimeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const pusher = new LinePusher({ client, logger, apiTimeoutMs, ...(opts.pushRetryDelaysMs ? { retryDelaysMs: opts.pushRetryDelaysMs } : {}) });
  const loadingAfterMs = opts.loadingAfterMs ?? 1000;
  const ackWaitMs = opts.ackWaitMs ?? 1500;
  const replyRetryDelays = opts.replyRetryDelaysMs ?? [250, 1000];
  const menus = new RichMenuLinks(client);
  const replies = new LineReplies({ client, pusher, logger, apiTimeoutMs, replyRetryDelaysMs: replyRetryDelays });

  // What is queued (in Redis with several instances) is the route, not LINE's raw event: only what processing needs.
  type Item = { eventId?: string; route: Exclude<EventRoute, { kind: 'skip' }>; log: Record<string, unknown>; acceptedAt: number };
  const order: UserOrder<Item> = (opts.userOrder ?? ((process) => new MemoryUserOrder(process)))<Item>(
    async (item, deduplicated, resumed) => {
      await processEvent(item.eventId, item.route, resumed ? { ...item.log, resumed } : item.log, deduplicated, {
        acceptedAt: item.acceptedAt,
        resumed: !!resumed,
      });
      // Wall-clock time: the event may have been accepted by another instance.
      opts.metrics?.eventDone(Math.max(0, Date.now() - item.acceptedAt) / 1000);
    },
    (item) => logger.info({ ...item.log, skip: 'duplicate' }, 'line event skipped'),
  );

  async function processEvent(
    eventId: string | undefined,
    route: Exclude<EventRoute, { kind: 'skip' }>,
    log: Record<string, unknown>,
    deduplicated: boolean,
    ctx: { acceptedAt: number; resumed: boolean },
  ): Promise<void> {
    const t0 = performance.now();
    try {
      // Orders kept in Redis skip duplicates as they queue them (one round trip less per event); otherwise it is done here.
      if (eventId && !deduplicated) {
        let fresh = true;
        try {
          fresh = await seenEvents.markEvent(eventId);
        } catch (err) {
          // Answering twice is better than never answering while the store is down.
          logger.warn({ ...log, ...errorSummary(err) }, 'duplicate check failed, handling the event anyway');
        }
        if (!fresh) {
          logger.info({ ...log, skip: 'duplicate' }, 'line event skipped');
          return;
        }
      }
      if (route.kind === 'unsend') {
        await handler.unsend(route.key, route.messageId);
        logger.info({ ...log, unsent: true, ms: elapsed(t0) }, 'line message unsent');
        return;
      }
      if (route.kind === 'forget') {
        await handler.forget(route.key);
        logger.info({ ...log, forgot: true, ms: elapsed(t0) }, 'line user forgotten');
        return;
      }
      const loading =
        route.userChat && Number.isFinite(loadingAfterMs) && loadingAfterMs >= 0
          ? setTimeout(() => {
              withTimeout(client.showLoadingAnimation({ chatId: route.chatId, loadingSeconds: 20 }), apiTimeoutMs).catch((err: unknown) =>
                logger.warn({ ...log, api: 'loading', ...errorSummary(err) }, 'line loading animation failed'),
              );
            }, loadingAfterMs)
          : undefined;
      // A new friend's LINE language chooses the bot's (the profile is read once, at follow; the language is not logged).
      const incoming = route.incoming.kind === 'follow' && route.userChat ? await withProfileLanguage(route.key, log) : route.incoming;
      if (opts.logMessageText && route.incoming.kind === 'text') logger.debug({ ...log, said: route.incoming.text }, 'line message text (LOG_MESSAGE_TEXT)');
      // The one way this event's answer reaches LINE (see TurnOutput); the service sends through it exactly once.
      const output = new TurnOutput(
        replies,
        {
          chatId: route.chatId,
          ...(route.replyToken ? { replyToken: route.replyToken } : {}),
          ...(eventId ? { eventId } : {}),
          ...ctx,
          incoming: route.incoming.kind,
        },
        log,
        () => clearTimeout(loading),
        t0,
      );
      let line: Record<string, unknown> = {};
      try {
        const response = await handler.handle(
          route.key,
          incoming,
          {
            chatId: route.chatId,
            ...(route.messageId ? { messageId: route.messageId } : {}),
            ...(eventId ? { eventId } : {}),
            ...(ctx.resumed ? { resumed: true } : {}),
          },
          output,
        );
        line = output.outcome;
        // The parent's language changed: after the answer, the rich menu of that language (Japanese: the default).
        if (response.switchedTo && route.userChat && !(response.decision.reason === 'follow' && response.switchedTo === 'ja'))
          line = { ...line, menu: await showMenu(route.key, response.switchedTo, log) };
      } finally {
        clearTimeout(loading);
      }
      // One line per event (decision and delivery together): logging is a measurable share of the CPU under load.
      logger.info({ ...log, ...line, ms: elapsed(t0) }, 'line event handled');
    } catch (err) {
      logger.error({ ...log, ms: elapsed(t0), ...errorSummary(err) }, 'line event failed');
    }
  }

  async function showMenu(userId: string, code: string, log: Record<string, unknown>): Promise<string> {
    const t0 = performance.now();
    try {
      return await withTimeout(menus.show(userId, code), apiTimeoutMs);
    } catch (err) {
      // The chat is in the right language either way; the menu follows at the next switch.
      logger.warn({ ...log, api: 'richmenu', ms: elapsed(t0), ...errorSummary(err) }, 'line rich menu not linked');
      return 'failed';
    }
  }

  /** The follow event with the profile's language; without it when LINE does not tell (or fails, or is slow). */
  async function withProfileLanguage(userId: string, log: Record<string, unknown>): Promise<Incoming> {
    if (!client.getProfile) return { kind: 'follow' };
    const t0 = performance.now();
    try {
      const profile = await withTimeout(client.getProfile(userId), Math.min(apiTimeoutMs, PROFILE_TIMEOUT_MS));
      return typeof profile.language === 'string' && profile.language ? { kind: 'follow', language: profile.language } : { kind: 'follow' };
    } catch (err) {
      // The greeting goes out in 日本語 with the language menu rather than late.
      logger.warn({ ...log, api: 'profile', ms: elapsed(t0), ...errorSummary(err) }, 'line profile not read, greeting in the default language');
      return { kind: 'follow' };
    }
  }

  /** Submits the body's events in order; resolves, per event, once the order keeps it (UserOrder.submit). */
  function dispatch(destination: string | undefined, events: unknown[]): Promise<void>[] {
    const kept: Promise<void>[] = [];
    // One body can carry any number of broken events: a few lines say what they were, one line counts the rest.
    let problems = 0;
    const warn = (fields: Record<string, unknown>, msg: string) => {
      if (++problems <= MAX_PROBLEM_LINES) logger.warn(fields, msg);
    };
    for (const raw of events) {
      if (!isObject(raw) || typeof raw.type !== 'string') {
        warn({ skip: 'malformed event' }, 'line event skipped');
        continue;
      }
      const event = raw as unknown as webhook.Event;
      const log: Record<string, unknown> = { eventId: event.webhookEventId, type: event.type, redelivery: event.deliveryContext?.isRedelivery ?? undefined };
      let route: EventRoute;
      try {
        route = routeEvent(event, { botUserId: destination });
      } catch (err) {
        warn({ ...log, ...errorSummary(err) }, 'line event could not be read');
        continue;
      }
      if (route.kind === 'skip') {
        logger.info({ ...log, skip: route.reason }, 'line event skipped');
        continue;
      }
      opts.metrics?.event(String(event.type));
      const eventId = typeof event.webhookEventId === 'string' && event.webhookEventId ? event.webhookEventId : undefined;
      kept.push(
        order.submit(
          route.key,
          typeof event.timestamp === 'number' ? event.timestamp : Date.now(),
          { ...(eventId ? { eventId } : {}), route, log: { ...log, user: pseudonym(route.key) }, acceptedAt: Date.now() },
          eventId,
        ),
      );
    }
    if (problems > MAX_PROBLEM_LINES) logger.warn({ skip: 'unreadable events', more: problems - MAX_PROBLEM_LINES }, 'more line events skipped in this body');
    return kept;
  }

  const router = express.Router();
  router.post(
    path,
    rawBodyWithLimit(opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    exactSignature,
    middleware({ channelSecret: opts.channelSecret }),
    (req: Request, res: Response) => {
      const body: unknown = req.body;
      if (!isObject(body) || !Array.isArray(body.events)) {
        logger.warn({ status: 400 }, 'line webhook body has no events array');
        res.status(400).json({ message: 'body must be a JSON object with an "events" array' });
        return;
      }
      const destination = typeof body.destination === 'string' ? body.destination : undefined;
      const kept = body.events.length ? dispatch(destination, body.events) : [];
      // Written directly: res.json would also hash the two bytes for an ETag LINE never uses, on every webhook.
      const ack = () => void res.writeHead(200, ACK_HEADERS).end(ACK_BODY);
      if (!kept.length) return ack();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ackWaitMs)));
      return Promise.race([Promise.all(kept), late]).then(() => {
        clearTimeout(timer);
        ack();
      });
    },
  );

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status =
      err instanceof SignatureValidationFailed
        ? 401
        : err instanceof JSONParseError || err instanceof BodyUnreadable
          ? 400
          : err instanceof BodyTooLarge
            ? 413
            : undefined;
    if (status === undefined) {
      next(err);
      return;
    }
    // Only the error's class: a JSON.parse message quotes part of the body, which may be what someone wrote.
    logger.warn({ status, reason: (err as Error).name }, 'line webhook request rejected');
    if (res.headersSent) return;
    const message = status === 401 ? 'signature validation failed' : status === 413 ? 'payload too large' : 'bad request body';
    res.status(status).json({ message });
  });

  async function drain(): Promise<void> {
    await order.drain();
  }

  return Object.assign(router, { drain, stop: () => order.stop(), rescan: async () => (order.rescan ? order.rescan() : 0) });
}

/** The profile is only worth a short wait: the greeting must not be late for it. */
const PROFILE_TIMEOUT_MS = 3000;

/** Warning lines about broken events per webhook body; the rest are counted in one line. */
const MAX_PROBLEM_LINES = 5;

// LINE sends the HMAC-SHA256 as standard Base64: 43 characters and one '='. The SDK decodes whatever it is given
// (Base64url, missing padding and trailing junk all decode to the same bytes), so anything else is refused first.
const SIGNATURE = /^[A-Za-z0-9+/]{43}=$/;
function exactSignature(req: Request, res: Response, next: () => void) {
  const signature = req.get('x-line-signature');
  if (signature !== undefined && !SIGNATURE.test(signature)) {
    res.status(401).json({ message: 'signature validation failed' });
    return;
  }
  next();
}
