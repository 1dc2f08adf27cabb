import type { Request } from 'express';

/**
 * Sends a signed webhook request over real HTTP, as LINE's servers do, to this very server. The address is the
 * socket the page's request arrived on — not the Host header, which the client controls — so it works whatever
 * port or interface the server listens on.
 */

/** Base URL of the server that accepted `req`, e.g. http://127.0.0.1:3000. */
export function selfBaseUrl(req: Request): string {
  const { localAddress, localPort } = req.socket;
  if (!localAddress || !localPort) throw new Error('the request socket has no local address');
  // An IPv4 client of a dual-stack server shows up as ::ffff:a.b.c.d.
  const v4 = localAddress.startsWith('::ffff:') && localAddress.includes('.') ? localAddress.slice(7) : localAddress;
  const host = v4.includes(':') ? `[${v4}]` : v4;
  return `http://${host}:${localPort}`;
}

export interface WebhookPost {
  url: string;
  body: string;
  signature: string;
  timeoutMs?: number;
}

/** POSTs the raw body with its signature; resolves with LINE's view of the outcome: the HTTP status. */
export async function postWebhook({ url, body, signature, timeoutMs = 5000 }: WebhookPost): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-line-signature': signature, 'user-agent': 'LineBotWebhook/2.0 (kosodate simulator)' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer().catch(() => undefined);
  return res.status;
}
