import { HTTPFetchError } from '@line/bot-sdk';

class ApiTimeout extends Error {
  override name = 'ApiTimeout';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What to log about a failed LINE API call: status, LINE's message and request id — never the request body. */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof HTTPFetchError) {
    let lineMessage: string | undefined;
    try {
      const parsed: unknown = JSON.parse(err.body);
      if (isObject(parsed) && typeof parsed.message === 'string') lineMessage = parsed.message;
    } catch {
      /* body is not JSON */
    }
    return { status: err.status, lineMessage, requestId: err.headers.get('x-line-request-id') ?? undefined };
  }
  if (err instanceof Error) return { err: { name: err.name, message: err.message } };
  return { err: String(err) };
}

/**
 * How long one LINE API call may take before the app gives up on it. The same deadline closes the call's connection
 * in LineHttpClient (see lineConnection), so a hung LINE cannot keep sockets the app has stopped waiting for.
 */
export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** The SDK has no timeout of its own. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  p.catch(() => undefined); // a late rejection after the timeout must not become unhandled
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ApiTimeout(`LINE API call took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const elapsed = (since: number) => Math.round(performance.now() - since);
