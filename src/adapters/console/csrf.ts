import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Constant-time comparison of a submitted token with the expected one. */
export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token sent with a form (hidden `_csrf` field) or by the client script (`X-CSRF-Token` header). */
export function submittedToken(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body?._csrf ?? req.get('x-csrf-token');
}

/**
 * A browser tells us when a request comes from another site; such a request is refused whatever it carries. Older
 * browsers send nothing, and then the token decides alone.
 */
export const crossSite = (req: Request): boolean => req.get('sec-fetch-site') === 'cross-site';

/** Synchronizer-token check for requests of a signed-in session: the token must equal the one in the session. */
export function requireCsrf(expected: (res: Response) => string | undefined, reject: (req: Request, res: Response) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const token = expected(res);
    if (!crossSite(req) && token && tokensMatch(token, submittedToken(req))) return next();
    reject(req, res);
  };
}

/**
 * Before sign-in there is no session to keep a token in, so the sign-in form uses a double-submit cookie: the form
 * carries the same random value as a SameSite=Strict cookie that other sites can neither read nor set. This keeps
 * another site from signing a staff browser into an account of its choosing.
 */
export const newLoginToken = (): string => randomBytes(32).toString('base64url');
