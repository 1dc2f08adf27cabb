import { Router, type CookieOptions, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../app/log.js';
import { authenticate, type AccountStore, type StaffAccount } from './accounts.js';
import { crossSite, newLoginToken, tokensMatch } from './csrf.js';
import type { LoginLimiter } from './rate-limit.js';
import type { Session, SessionStore } from './sessions.js';
import { messagePage } from './views/layout.js';
import { loginPage } from './views/login.js';

export const SESSION_COOKIE = 'kc_console';
const LOGIN_COOKIE = 'kc_console_login';

export interface SignedIn {
  account: StaffAccount;
  session: Session;
  sessionId: string;
}

/** Set by requireStaff on every request past it. */
export const signedIn = (res: Response): SignedIn => res.locals.signedIn as SignedIn;

/** Secure whenever the browser reached us over https (directly, or through a proxy trusted by TRUST_PROXY). */
const cookieOptions = (req: Request, maxAgeMs?: number): CookieOptions => ({
  httpOnly: true,
  sameSite: 'strict',
  secure: req.secure,
  path: '/console',
  ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
});

/** Only a console page of this app may be the target after sign-in (no open redirect). */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/console\/[A-Za-z0-9/_-]*$/.test(next) && !next.includes('//') ? next : undefined;
}

const cookie = (req: Request, name: string): string | undefined => {
  const v = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
};

export interface AuthDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  limiter: LoginLimiter;
  logger: Logger;
}

async function currentStaff(req: Request, deps: AuthDeps): Promise<SignedIn | undefined> {
  const id = cookie(req, SESSION_COOKIE);
  if (!id) return undefined;
  const session = await deps.sessions.touch(id);
  if (!session) return undefined;
  const account = await deps.accounts.get(session.username);
  // A removed account or a changed password ends the session at once, on every instance.
  if (account && session.createdAt >= account.passwordChangedAt) return { account, session, sessionId: id };
  await deps.sessions.destroy(id);
  return undefined;
}

/** Pages send the browser to the sign-in form and back; the event stream and form posts get a plain 401. */
export function requireStaff(deps: AuthDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const staff = await currentStaff(req, deps);
    if (staff) {
      res.locals.signedIn = staff;
      return next();
    }
    if (req.method === 'GET' && req.path !== '/events') {
      const target = safeNext(req.baseUrl + req.path);
      return res.redirect(303, `/console/login${target && target !== '/console/' ? `?next=${encodeURIComponent(target)}` : ''}`);
    }
    res
      .status(401)
      .type('html')
      .send(
        messagePage(
          'サインインが必要です',
          'サインインの有効期限が切れたか、サインアウトしています。もう一度サインインしてください。入力中の内容は送信されていません。',
          { href: '/console/login', label: 'サインイン画面へ' },
        ).value,
      );
  };
}

export function authRoutes(deps: AuthDeps): Router {
  const router = Router();

  const showLogin = (
    req: Request,
    res: Response,
    status: number,
    extra: { username?: string; next?: string; notice?: { kind: 'ok' | 'warn' | 'error'; text: string } } = {},
  ) => {
    const token = newLoginToken();
    res.cookie(LOGIN_COOKIE, token, { ...cookieOptions(req, 12 * 3600_000), path: '/console/login' });
    res
      .status(status)
      .type('html')
      .send(loginPage({ token, ...extra }).value);
  };

  router.get('/login', async (req, res) => {
    if (await currentStaff(req, deps)) return res.redirect(303, safeNext(req.query.next) ?? '/console/');
    const next = safeNext(req.query.next);
    showLogin(req, res, 200, {
      ...(next ? { next } : {}),
      ...(req.query.m === 'signed-out' ? { notice: { kind: 'ok', text: 'サインアウトしました。' } } : {}),
    });
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const keep = { username, ...(next ? { next } : {}) };
    if (crossSite(req) || !tokensMatch(cookie(req, LOGIN_COOKIE) ?? '', body._csrf)) {
      deps.logger.warn({ console: 'sign-in', outcome: 'csrf_rejected' }, 'console sign-in refused: missing or wrong form token');
      return showLogin(req, res, 403, { ...keep, notice: { kind: 'error', text: 'サインイン画面の有効期限が切れました。もう一度入力してください。' } });
    }

    const ip = req.ip ?? 'unknown';
    // Counted before the password is checked, so a burst of parallel attempts cannot all be tried.
    const attempt = await deps.limiter.attempt(ip, username);
    if (!attempt.allowed) {
      deps.logger.warn({ console: 'sign-in', outcome: 'rate_limited' }, 'console sign-in refused: too many attempts');
      res.set('Retry-After', String(attempt.retryAfterSeconds));
      return showLogin(req, res, 429, {
        ...keep,
        notice: {
          kind: 'error',
          text: `サインインの失敗が続いたため、しばらくサインインできません。${Math.ceil(attempt.retryAfterSeconds / 60)}分ほど待ってから、もう一度お試しください。`,
        },
      });
    }
    // Many failures for this name from anywhere: slow every attempt down instead of locking the owner out.
    if (attempt.delayMs) await new Promise((r) => setTimeout(r, attempt.delayMs));

    const account = password.length <= 200 ? await authenticate(deps.accounts, username, password) : undefined;
    if (!account) {
      await deps.limiter.failed(username);
      // Neither the name typed nor the address: a mistyped password sometimes lands in the name field.
      deps.logger.warn({ console: 'sign-in', outcome: 'bad_credentials' }, 'console sign-in failed');
      return showLogin(req, res, 401, { ...keep, notice: { kind: 'error', text: 'ユーザー名またはパスワードが違います。' } });
    }

    await deps.limiter.succeeded(ip, username);
    // A new id at every sign-in: an id planted in the browser before sign-in is worth nothing afterwards.
    const old = cookie(req, SESSION_COOKIE);
    if (old) await deps.sessions.destroy(old);
    const { id } = await deps.sessions.create(account.username);
    deps.logger.info({ console: 'sign-in', outcome: 'ok', staff: account.username }, 'console sign-in');
    res.clearCookie(LOGIN_COOKIE, { ...cookieOptions(req), path: '/console/login' });
    res.cookie(SESSION_COOKIE, id, cookieOptions(req));
    res.redirect(303, next ?? '/console/');
  });

  return router;
}

/** Mounted after requireStaff and the CSRF check. */
export function signOutRoute(deps: AuthDeps): Router {
  const router = Router();
  router.post('/logout', async (req, res) => {
    const { sessionId, account } = signedIn(res);
    await deps.sessions.destroy(sessionId);
    deps.logger.info({ console: 'sign-out', staff: account.username }, 'console sign-out');
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/console/login?m=signed-out');
  });
  return router;
}
