import { randomBytes, timingSafeEqual } from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';

/** Constant-time comparison of a submitted token with the expected one. */
export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token sent with a form (hidden `_csrf` field, multipart forms too) or by htmx (`X-CSRF-Token`, see layout.ts). */
export function submittedToken(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const token = body?._csrf ?? req.get('x-csrf-token');
  return typeof token === 'string' ? token : undefined;
}

/**
 * A browser tells us when a request comes from another site; such a request is refused whatever it carries. Older
 * browsers send nothing, and then the token decides alone.
 */
export const crossSite = (req: Request): boolean => req.get('sec-fetch-site') === 'cross-site';

/**
 * The synchroniser-token check (csrf-sync) for requests of a signed-in session: a state-changing request must carry the
 * token kept in the session. The session store makes the token at sign-in (sessions.ts), so the library only reads it.
 */
export function requireCsrf(expected: (req: Request) => string | undefined, reject: (req: Request, res: Response) => void) {
  const { csrfSynchronisedProtection } = csrfSync({
    ignoredMethods: ['GET', 'HEAD'],
    // An empty token in the session would match an empty one sent: never taken as a token.
    getTokenFromState: (req) => expected(req) || undefined,
    getTokenFromRequest: submittedToken,
    storeTokenInState: () => {
      throw new Error('console CSRF tokens are made with the session');
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (crossSite(req)) return reject(req, res);
    csrfSynchronisedProtection(req, res, (err?: unknown) => (err ? reject(req, res) : next()));
  };
}

/**
 * Before sign-in there is no session to keep a token in, so the sign-in form uses a double-submit cookie: the form
 * carries the same random value as a SameSite=Strict cookie that other sites can neither read nor set. This keeps
 * another site from signing a staff browser into an account of its choosing.
 */
export const newLoginToken = (): string => randomBytes(32).toString('base64url');
