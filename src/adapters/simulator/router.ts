import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../../app/log.js';
import type { LocalLineApi } from '../line/local-api.js';
import { postWebhook, selfBaseUrl } from './deliver.js';
import { signedRequest } from './events.js';
import { richMenuItems } from './menu.js';
import { richMenuRequest, type MenuLanguage } from '../richmenu/richmenu.js';
import { isUserId, parseSendRequest } from './request.js';
import { streamChat } from './stream.js';
import { Timeline, echoOf } from './timeline.js';

/**
 * The local LINE simulator (local mode only): a chat page at /simulator whose actions become signed webhook
 * requests to this server's own /webhook, and whose chat follows LocalLineApi over Server-Sent Events.
 *
 *   GET  /simulator                    the page
 *   GET  /simulator/assets/*           its CSS and JS
 *   GET  /simulator/api/menu           rich-menu entries
 *   POST /simulator/api/send           {userId, kind, text?, data?, displayText?} → one signed webhook event
 *   GET  /simulator/api/stream?userId  text/event-stream of the chat
 *
 * Logs carry kinds, ids, statuses and durations, never what was typed.
 */

export interface SimulatorOptions {
  api: LocalLineApi;
  /** The secret the webhook verifies with (LOCAL_CHANNEL_SECRET). */
  channelSecret: string;
  logger: Logger;
  /** Default `/webhook`. */
  webhookPath?: string;
  /** Open event streams at most; more are refused with 503. Default 100. */
  maxStreams?: number;
  /** Largest JSON body of /simulator/api/send; a 5000-character text fits easily. Default 64 KiB. */
  maxBodyBytes?: number;
  /** The menu languages (besides 日本語): the local LINE API offers a menu of each, and the page shows the one linked. */
  menuLanguages?: () => MenuLanguage[];
}

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

interface HttpError {
  status?: unknown;
  type?: unknown;
  name?: unknown;
}

export function simulatorRouter(opts: SimulatorOptions): Router {
  const log = opts.logger.child({ component: 'simulator' });
  const webhookPath = opts.webhookPath ?? '/webhook';
  const maxStreams = opts.maxStreams ?? 100;
  const timeline = new Timeline(opts.api);
  let streams = 0;

  const router = express.Router();
  router.use(
    '/simulator',
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        // Served over plain http on localhost: upgrading would break every request.
        directives: { 'img-src': ["'self'", 'https:', 'data:'], 'upgrade-insecure-requests': null },
      },
      strictTransportSecurity: false,
    }),
  );

  router.get('/simulator', (_req, res) => {
    res.set('cache-control', 'no-cache').sendFile('index.html', { root: PUBLIC_DIR });
  });
  router.use(
    '/simulator/assets',
    express.static(PUBLIC_DIR, { index: false, redirect: false, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }),
  );

  // The menus LINE would hold after `npm run richmenu -- --language <code>`: one per language, linked by the webhook.
  const languages = () => opts.menuLanguages?.() ?? [];
  opts.api.offerRichMenus(() => languages().map((l) => ({ richMenuId: `local-${l.code}`, name: richMenuRequest(l).name! })));

  router.get('/simulator/api/menu', (req, res) => {
    const linked = isUserId(req.query.userId) ? opts.api.richMenuOf(req.query.userId) : undefined;
    const language = linked ? languages().find((l) => `local-${l.code}` === linked) : undefined;
    res.json({ items: richMenuItems(language) });
  });

  // JSON only: a cross-site page cannot send application/json without a CORS preflight, which nothing here answers.
  router.post('/simulator/api/send', express.json({ limit: opts.maxBodyBytes ?? 64 * 1024 }), async (req: Request, res: Response) => {
    const parsed = parseSendRequest(req.body);
    if (!parsed.ok) {
      log.warn({ status: 400, problems: parsed.problems }, 'simulator request rejected');
      res.status(400).json({ message: 'invalid request', problems: parsed.problems });
      return;
    }
    const { userId, input } = parsed;
    // The profile the bot reads at follow: the language the page chose for this simulated user's LINE.
    if (input.kind === 'follow') opts.api.setProfileLanguage(userId, input.language);
    const signed = signedRequest(input, { userId, channelSecret: opts.channelSecret });
    // As LINE's platform would, the token the event carries is issued before the event is sent.
    const { replyToken } = signed.event as { replyToken?: string };
    if (replyToken) opts.api.issueReplyToken(replyToken, userId);
    const echo = echoOf(input);
    if (echo) timeline.addUser(userId, echo);
    const t0 = performance.now();
    const logged = { userId, kind: input.kind, eventId: signed.event.webhookEventId };
    let status: number;
    try {
      status = await postWebhook({ url: selfBaseUrl(req) + webhookPath, body: signed.body, signature: signed.signature });
    } catch (err) {
      log.error({ ...logged, err: err instanceof Error ? err.name : String(err) }, 'simulator could not reach the webhook');
      res.status(502).json({ message: 'webhook unreachable' });
      return;
    }
    log.info({ ...logged, webhookStatus: status, ms: Math.round(performance.now() - t0) }, 'simulator event sent');
    res.status(status === 200 ? 200 : 502).json({ ok: status === 200, webhookStatus: status, webhookEventId: signed.event.webhookEventId });
  });

  router.get('/simulator/api/stream', async (req: Request, res: Response) => {
    const userId = req.query.userId;
    if (!isUserId(userId)) {
      res.status(400).json({ message: 'userId must be U followed by 32 lowercase hex digits' });
      return;
    }
    if (streams >= maxStreams) {
      res.status(503).set('retry-after', '5').json({ message: 'too many open streams' });
      return;
    }
    streams++;
    log.debug({ userId, streams }, 'simulator stream opened');
    try {
      await streamChat(req, res, timeline, userId);
    } finally {
      streams--;
      log.debug({ userId, streams }, 'simulator stream closed');
    }
  });

  router.use('/simulator', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = (typeof err === 'object' && err !== null ? err : {}) as HttpError;
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : undefined;
    if (status === undefined || res.headersSent) {
      next(err);
      return;
    }
    // The type only: a JSON parse error's message quotes the body.
    log.warn({ status, reason: typeof e.type === 'string' ? e.type : String(e.name) }, 'simulator request rejected');
    res.status(status).json({ message: status === 413 ? 'payload too large' : 'bad request' });
  });

  return router;
}
