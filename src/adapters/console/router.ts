import { insightsRoutes, type InsightsRoutesDeps } from './insights-routes.js';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Core } from '../../core/build-core.js';
import type { HandoffEvents } from '../../app/handoff/handoff-store.js';
import type { HandoffService } from '../../app/handoff/service.js';
import type { KnowledgeService } from '../../app/publishing/service.js';
import type { Logger } from '../../app/log.js';
import type { AccountStore } from './accounts.js';
import { authRoutes, requireStaff, signOutRoute, signedIn } from './auth.js';
import { requireCsrf } from './csrf.js';
import { sendWholePage } from './htmx.js';
import { eventStream, type EventStream } from './events.js';
import { handoffRoutes } from './handoff-routes.js';
import { kbRoutes } from './kb-routes.js';
import { versionParser } from './kb-route-kit.js';
import { facilityRoutes } from './facility-routes.js';
import { contactRoutes } from './contact-routes.js';
import { translationRoutes } from './translation-routes.js';
import { recordTranslationRoutes } from './record-translation-routes.js';
import { copyTranslationRoutes } from './copy-translation-routes.js';
import { multipartBody } from './multipart.js';
import { verifyNothing } from './passwords.js';
import type { LoginLimiter } from './rate-limit.js';
import { MemorySeenStore, type SeenStore } from './seen.js';
import type { SessionStore } from './sessions.js';
import { MemoryTemplateStore, type TemplateStore } from './templates.js';
import { templatesRoutes } from './templates-routes.js';
import { messagePage } from './views/layout.js';
import type { WatchStore } from '../../app/sources/watch-store.js';
import type { WrongReportStore } from '../../app/insights/wrong-reports.js';
import { reportRoutes } from './report-routes.js';

export interface ConsoleDeps {
  handoff: HandoffService;
  events: HandoffEvents;
  accounts: AccountStore;
  sessions: SessionStore;
  limiter: LoginLimiter;
  /** The queue's unread marks (consoleStores makes it; memory, one instance only, when left out). */
  seen?: SeenStore;
  /** Canned replies (consoleStores makes it; memory when left out). */
  templates?: TemplateStore;
  core: () => Core;
  /** The live knowledge base and its publisher: the knowledge-base pages (/console/kb…) exist only with it. */
  knowledge?: Pick<KnowledgeService, 'publisher' | 'live' | 'store'>;
  logger: Logger;
  heartbeatMs?: number;
  /** Unanswered questions and monthly figures (optional). */
  insights?: Pick<InsightsRoutesDeps, 'stats' | 'unanswered' | 'examples'>;
  /** The source watch's records, for the freshness page (optional). */
  sourceWatch?: { store: WatchStore; enabled: boolean };
  /** Parents' 「この情報はまちがっている」 reports (optional). */
  reports?: WrongReportStore;
  now?: () => number;
}

export interface StaffConsole {
  /** Mount on the app as is: it serves everything under /console. */
  router: Router;
  stream: EventStream;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
// The answer preview draws LINE cards with the simulator's own renderer, so both show the same thing.
const FLEX_DIR = fileURLToPath(new URL('../simulator/public/', import.meta.url));
// htmx (pinned in package.json) is served from its package, never from another site: the CSP allows 'self' only.
const HTMX_FILE = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');

/** Only our own script and stylesheet may run or style the pages; nothing may frame them. */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
  strictTransportSecurity: { maxAge: 180 * 86_400, includeSubDomains: false },
});

// Error pages go to htmx too (in place of the page's main part): an action must never fail without a word.
function notFound(req: Request, res: Response) {
  sendWholePage(req, res, 404, messagePage('ページが見つかりません', 'このページはありません。', { href: '/console/', label: '受付一覧へ戻る' }));
}

/** The staff console: sign-in, the queue, conversations and live updates, all under /console. */
export function createConsole(deps: ConsoleDeps): StaffConsole {
  // Prepares the stand-in hash now, so the first sign-in with an unknown name takes no longer than any other.
  void verifyNothing('').catch(() => undefined);
  const stream = eventStream({ events: deps.events, sessions: deps.sessions, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}) });
  const auth = { accounts: deps.accounts, sessions: deps.sessions, limiter: deps.limiter, logger: deps.logger };
  const forbidden = (req: Request, res: Response) =>
    sendWholePage(
      req,
      res,
      403,
      messagePage('送信できませんでした', 'ページを開いてから時間がたったか、正しくない送信です。ページを再読み込みしてから、もう一度お試しください。', {
        href: '/console/',
        label: '受付一覧へ戻る',
      }),
    );

  const routes = Router();
  routes.use(securityHeaders);
  const flex = express.static(FLEX_DIR, { index: false });
  routes.use('/static/flex', (req, res, next) => (req.path === '/flex.js' || req.path === '/flex.css' ? flex(req, res, next) : next()));
  routes.get('/static/vendor/htmx.min.js', (_req, res, next) => res.sendFile(HTMX_FILE, (err) => err && next(err)));
  routes.use('/static', express.static(PUBLIC_DIR, { index: false, fallthrough: false }));
  routes.use((_req, res, next) => {
    // Pages carry parents' messages: never kept by the browser or a proxy.
    res.set('cache-control', 'no-store');
    next();
  });
  routes.use(cookieParser());
  // Small forms for everything but the knowledge-base editor, whose forms are read only once signed in (below).
  const smallForms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 20 });
  routes.use((req, res, next) => (req.path.startsWith('/kb/') ? next() : smallForms(req, res, next)));
  routes.use(authRoutes(auth));
  routes.use(requireStaff(auth));
  // An entry's form has a field per facet, source and detail; a spreadsheet upload is a file.
  routes.use('/kb', express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 400 }), multipartBody());
  routes.use(requireCsrf((req) => signedIn(req.res!).session.csrfToken, forbidden));
  routes.use(signOutRoute(auth));
  routes.get('/events', stream.handler);
  if (deps.insights) routes.use(insightsRoutes({ ...deps.insights, core: deps.core, logger: deps.logger, ...(deps.now ? { now: deps.now } : {}) }));
  // One memo of parsed versions for every knowledge-base page: an edit's base is parsed once, whichever page reads it.
  const parsed = versionParser();
  if (deps.knowledge)
    routes.use(
      kbRoutes({
        knowledge: deps.knowledge,
        parsed,
        accounts: deps.accounts,
        logger: deps.logger,
        ...(deps.sourceWatch ? { sourceWatch: deps.sourceWatch } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      }),
    );
  if (deps.reports)
    routes.use(
      reportRoutes({
        reports: deps.reports,
        core: deps.core,
        ...(deps.knowledge ? { liveVersion: () => deps.knowledge!.live.version() } : {}),
        logger: deps.logger,
        ...(deps.now ? { now: deps.now } : {}),
      }),
    );
  if (deps.knowledge) routes.use(facilityRoutes({ knowledge: deps.knowledge, parsed, ...(deps.now ? { now: deps.now } : {}) }));
  if (deps.knowledge) routes.use(contactRoutes({ knowledge: deps.knowledge, parsed, ...(deps.now ? { now: deps.now } : {}) }));
  if (deps.knowledge) routes.use(translationRoutes({ knowledge: deps.knowledge, parsed, ...(deps.now ? { now: deps.now } : {}) }));
  if (deps.knowledge) routes.use(recordTranslationRoutes({ knowledge: deps.knowledge, parsed }));
  if (deps.knowledge) routes.use(copyTranslationRoutes({ knowledge: deps.knowledge, parsed }));
  const seen = deps.seen ?? new MemorySeenStore({ ttlSeconds: 30 * 86_400 });
  const templates = deps.templates ?? new MemoryTemplateStore();
  routes.use(templatesRoutes({ templates, accounts: deps.accounts, logger: deps.logger, ...(deps.now ? { now: deps.now } : {}) }));
  routes.use(
    handoffRoutes({
      handoff: deps.handoff,
      accounts: deps.accounts,
      seen,
      templates,
      core: deps.core,
      logger: deps.logger,
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );
  routes.use(notFound);
  routes.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status;
    if (status === 404) return notFound(req, res);
    if (status && status >= 400 && status < 500) {
      // Too large or malformed forms, unknown static files.
      return sendWholePage(
        req,
        res,
        status,
        messagePage('送信できませんでした', '内容が大きすぎるか、正しくない送信です。', { href: '/console/', label: '受付一覧へ戻る' }),
      );
    }
    deps.logger.error({ console: req.method, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'console request failed');
    sendWholePage(
      req,
      res,
      500,
      messagePage('エラーが発生しました', '処理中にエラーが発生しました。時間をおいて、もう一度お試しください。', {
        href: '/console/',
        label: '受付一覧へ戻る',
      }),
    );
  });

  const router = Router();
  router.use('/console', routes);
  return { router, stream };
}
