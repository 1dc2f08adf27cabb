import { timingSafeEqual } from 'node:crypto';
import helmet from 'helmet';
import type { Metrics } from '../observability/metrics.js';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { LineHttpClient } from '../line/http-client.js';
import type { Config } from '../config/env.js';
import type { ConversationHandler } from '../../app/conversation/service-types.js';
import type { Logger } from '../../app/log.js';
import { LocalLineApi } from '../line/local-api.js';
import type { UserOrderFactory } from '../line/user-order.js';
import { lineWebhook, type LineClient, type LineWebhookRouter, type SeenEvents } from '../line/webhook.js';
import { simulatorRouter } from '../simulator/router.js';
import type { Readiness } from './readiness.js';

export type { Readiness } from './readiness.js';
import type { MenuLanguage } from '../richmenu/richmenu.js';

/**
 * Channel secret of local mode (no LINE credentials): the local simulator signs its webhook requests with it, so
 * the exact production code path — signature check included — runs locally. Not a secret.
 */
export const LOCAL_CHANNEL_SECRET = 'local-simulator-secret';

export interface AppDeps {
  handler: ConversationHandler;
  /** The process's store, as the app uses it: seen event ids for the webhook, readiness for /readyz. */
  store: SeenEvents & Readiness;
  config: Pick<Config, 'lineMode' | 'lineChannelSecret' | 'lineChannelAccessToken' | 'lineApiBaseUrl'> & Partial<Pick<Config, 'trustProxy' | 'logMessageText'>>;
  logger: Logger;
  /** Defaults: the SDK client for `config.lineApiBaseUrl` in line mode, a LocalLineApi in local mode. */
  lineClient?: LineClient;
  /** Whether the knowledge base is loaded; readiness waits for it. Default: always ready. */
  kbReady?: () => boolean;
  /** The knowledge-base version this instance answers with (undefined: the repository files). */
  kbVersion?: () => number | undefined;
  /** The LINE API client and channel secret (see lineConnection); made from config when absent. */
  line?: LineConnection;
  /** Prometheus metrics, served at GET /metrics (token or loopback only). */
  metrics?: Metrics;
  /** Bearer token for /metrics; without it only requests from this machine are answered. */
  metricsToken?: string;
  /** The languages with a rich menu of their own (local mode: the simulator shows a parent the menu of theirs). */
  menuLanguages?: () => MenuLanguage[];
  /** Further routes served by the same app (the staff console). */
  routers?: Router[];
  /** Passed to the webhook (tests shorten delays). */
  webhook?: {
    pushRetryDelaysMs?: readonly number[];
    replyRetryDelaysMs?: readonly number[];
    loadingAfterMs?: number;
    apiTimeoutMs?: number;
    maxBodyBytes?: number;
    userOrder?: UserOrderFactory;
  };
}

export type ConciergeApp = Express & {
  /** Shutting down: webhooks are answered 503 (LINE redelivers them, when enabled, to another instance). */
  stopAccepting(): void;
  /** Resolves when every accepted webhook event has been processed (tests; graceful shutdown). */
  drain(): Promise<void>;
  /** Shutdown after the drain budget: take no more events; what was left unfinished (in Redis, or lost locally). */
  stop(): Promise<{ inRedis: number; local: number }>;
  /** Takes over the event queues other instances left in Redis; resolves with how many were found. */
  rescan(): Promise<number>;
  readonly lineWebhook: LineWebhookRouter;
  /** Set in local mode: the in-memory stand-in for the LINE API. */
  readonly localLineApi?: LocalLineApi;
};

export interface LineConnection {
  client: LineClient;
  channelSecret: string;
  /** Set in local mode: the in-memory stand-in for the LINE API. */
  localLineApi?: LocalLineApi;
}

/** The LINE API client for the configured mode: LINE's API with credentials, else a LocalLineApi. */
export function lineConnection(config: AppDeps['config'], lineClient?: LineClient, apiTimeoutMs?: number): LineConnection {
  if (config.lineMode === 'line') {
    if (!config.lineChannelSecret || !config.lineChannelAccessToken) throw new Error('line mode needs LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN');
    return {
      channelSecret: config.lineChannelSecret,
      // The app's per-call deadline closes the connection too: a hung LINE keeps no socket the app gave up on.
      client:
        lineClient ??
        new LineHttpClient({
          channelAccessToken: config.lineChannelAccessToken,
          baseURL: config.lineApiBaseUrl,
          ...(apiTimeoutMs !== undefined ? { timeoutMs: apiTimeoutMs } : {}),
        }),
    };
  }
  if (lineClient) return { channelSecret: LOCAL_CHANNEL_SECRET, client: lineClient };
  const localLineApi = new LocalLineApi();
  return { channelSecret: LOCAL_CHANNEL_SECRET, client: localLineApi, localLineApi };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function storeReady(store: Readiness): Promise<boolean> {
  try {
    return await store.ready();
  } catch {
    return false;
  }
}

/**
 * The HTTP server: health probes and the LINE webhook. In local mode the webhook is still mounted — verified with
 * LOCAL_CHANNEL_SECRET and answering through LocalLineApi — GET /local/messages/:userId shows what was sent, and
 * /simulator is a LINE-like chat page that drives the webhook.
 */
export function createApp(deps: AppDeps): ConciergeApp {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Which proxies may report the client's address and https (sign-in limits, Secure cookies); none by default.
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);

  // Security headers for everything; the console and the simulator set their own stricter policies.
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));

  if (deps.metrics) {
    const metrics = deps.metrics;
    app.get('/metrics', async (req, res) => {
      const token = deps.metricsToken;
      // Behind a trusted proxy every visitor arrives from the proxy, often this machine: only the token can tell.
      const local = !config.trustProxy && ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
      const authorised = token ? safeEqual(req.get('authorization') ?? '', `Bearer ${token}`) : local;
      if (!authorised) {
        const why = token
          ? 'metrics need the bearer token'
          : config.trustProxy
            ? 'behind a trusted proxy, metrics need METRICS_TOKEN'
            : 'metrics are served to this machine only (set METRICS_TOKEN to allow others)';
        res.status(token ? 401 : 403).json({ message: why });
        return;
      }
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    });
  }

  let accepting = true;
  app.use((req, res, next) => {
    if (accepting || req.method !== 'POST') return next();
    res.set('connection', 'close').status(503).json({ message: 'shutting down' });
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const store = await storeReady(deps.store);
    let kb = true;
    try {
      kb = deps.kbReady ? deps.kbReady() : true;
    } catch {
      kb = false;
    }
    const ready = store && kb && accepting;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : accepting ? 'not ready' : 'shutting down',
      store,
      knowledge: kb,
      ...(deps.kbVersion ? { knowledgeVersion: deps.kbVersion() ?? null } : {}),
    });
  });

  const { client, channelSecret, localLineApi } = deps.line ?? lineConnection(config, deps.lineClient, deps.webhook?.apiTimeoutMs);

  const webhook = lineWebhook({
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    logMessageText: config.lineMode === 'local' && !!config.logMessageText,
    channelSecret,
    client,
    handler: deps.handler,
    seenEvents: deps.store,
    logger,
    ...deps.webhook,
  });
  app.use(webhook);

  for (const router of deps.routers ?? []) app.use(router);

  if (localLineApi) {
    const api = localLineApi;
    app.get('/local/messages/:userId', (req, res) => {
      res.json({ userId: req.params.userId, messages: api.messages(req.params.userId) });
    });
    app.use(simulatorRouter({ api, channelSecret, logger, ...(deps.menuLanguages ? { menuLanguages: deps.menuLanguages } : {}) }));
  }

  app.use((_req, res) => {
    res.status(404).json({ message: 'not found' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'http request failed');
    if (!res.headersSent) res.status(500).json({ message: 'internal error' });
  });

  return Object.assign(app, {
    drain: () => webhook.drain(),
    stop: () => webhook.stop(),
    rescan: () => webhook.rescan(),
    stopAccepting: () => {
      accepting = false;
    },
    lineWebhook: webhook,
    localLineApi,
  });
}
