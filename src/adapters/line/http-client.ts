import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { LineClient } from './webhook.js';
import { DEFAULT_API_TIMEOUT_MS } from './api-call.js';

export interface LineHttpClientOptions {
  channelAccessToken: string;
  /** https://api.line.me, or a stub's http:// address in tests and the bench. */
  baseURL: string;
  /**
   * A call not finished this long after it was made — waiting for a free connection included — is abandoned and
   * its connection closed. Default 10 s; give it the app's per-call deadline (lineConnection does), so that a call
   * the app has given up on never holds a socket.
   */
  timeoutMs?: number;
  /** Connections kept open to LINE. Default 64. */
  maxSockets?: number;
}

/**
 * The Messaging API calls the webhook makes — on every event (reply, push, loading animation), and at a follow or a
 * language switch (the profile's language, the rich menu of that language) — over node:http with keep-alive
 * connections. The SDK's client sends them through `fetch` (undici and web streams), which cost
 * about a fifth of the app's CPU per event under load; the SDK still supplies the types, the error class and every
 * other call (rich menus). Failures throw the SDK's HTTPFetchError, so retries and logging treat both alike.
 */
export class LineHttpClient implements LineClient {
  private readonly base: URL;
  private readonly pathPrefix: string;
  /** The parts of every request's options that never change (URL getters are not free on every call). */
  private readonly target: Pick<http.RequestOptions, 'protocol' | 'hostname' | 'port'>;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(opts: LineHttpClientOptions) {
    this.base = new URL(opts.baseURL);
    this.pathPrefix = this.base.pathname.replace(/\/$/, '');
    this.target = { protocol: this.base.protocol, hostname: this.base.hostname, ...(this.base.port ? { port: this.base.port } : {}) };
    const secure = this.base.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64, scheduling: 'lifo' as const };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.request = secure ? https.request : http.request;
    this.headers = { authorization: `Bearer ${opts.channelAccessToken}`, 'content-type': 'application/json', 'user-agent': 'kosodate-concierge' };
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  }

  replyMessage(body: messagingApi.ReplyMessageRequest): Promise<messagingApi.ReplyMessageResponse> {
    return this.post('/v2/bot/message/reply', body) as Promise<messagingApi.ReplyMessageResponse>;
  }

  pushMessage(body: messagingApi.PushMessageRequest, xLineRetryKey?: string): Promise<messagingApi.PushMessageResponse> {
    return this.post(
      '/v2/bot/message/push',
      body,
      xLineRetryKey ? { 'x-line-retry-key': xLineRetryKey } : undefined,
    ) as Promise<messagingApi.PushMessageResponse>;
  }

  showLoadingAnimation(body: messagingApi.ShowLoadingAnimationRequest): Promise<object> {
    return this.post('/v2/bot/chat/loading/start', body) as Promise<object>;
  }

  /** The parent's profile; only `language` is used (at follow), and nothing of it is stored or logged. */
  getProfile(userId: string): Promise<messagingApi.UserProfileResponse> {
    return this.send('GET', `/v2/bot/profile/${encodeURIComponent(userId)}`) as Promise<messagingApi.UserProfileResponse>;
  }

  /** Our rich menus, to find the one of a parent's language by its name. */
  getRichMenuList(): Promise<messagingApi.RichMenuListResponse> {
    return this.send('GET', '/v2/bot/richmenu/list') as Promise<messagingApi.RichMenuListResponse>;
  }

  /** Shows this person the rich menu of their language. */
  linkRichMenuIdToUser(userId: string, richMenuId: string): Promise<object> {
    return this.send('POST', `/v2/bot/user/${encodeURIComponent(userId)}/richmenu/${encodeURIComponent(richMenuId)}`) as Promise<object>;
  }

  /** Back to the default (Japanese) rich menu. */
  unlinkRichMenuIdFromUser(userId: string): Promise<object> {
    return this.send('DELETE', `/v2/bot/user/${encodeURIComponent(userId)}/richmenu`) as Promise<object>;
  }

  /** Closes the kept-open connections (shutdown, tests). */
  close(): void {
    this.agent.destroy();
  }

  private post(path: string, body: unknown, extra?: Record<string, string>): Promise<unknown> {
    return this.send('POST', path, body, extra);
  }

  private send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, extra?: Record<string, string>): Promise<unknown> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    return new Promise((settle, fail) => {
      // A deadline for the whole call (not the socket's idle time): queued behind busy connections, sent, answered.
      const deadline = setTimeout(() => req.destroy(new Error(`LINE API call took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
      const resolve = (value: unknown) => {
        clearTimeout(deadline);
        settle(value);
      };
      const reject = (err: Error) => {
        clearTimeout(deadline);
        fail(err);
      };
      const req = this.request(
        {
          ...this.target,
          path: this.pathPrefix + path,
          method,
          agent: this.agent,
          headers: { ...this.headers, ...extra, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              const statusText = res.statusMessage ?? '';
              reject(new HTTPFetchError(`${status} - ${statusText}`, { status, statusText, headers: toHeaders(res.headers), body: text }));
              return;
            }
            try {
              resolve(text ? JSON.parse(text) : {});
            } catch {
              // A 2xx with a body that is not JSON: the call itself succeeded.
              resolve({});
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
