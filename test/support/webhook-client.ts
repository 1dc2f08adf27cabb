import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * Builds and sends webhook requests exactly as LINE does (docs/line-platform.md 5.1): serialise once, sign those
 * bytes with HMAC-SHA256(channel secret), Base64, header x-line-signature.
 */

export const lineSignature = (rawBody: string | Buffer, channelSecret: string): string => createHmac('sha256', channelSecret).update(rawBody).digest('base64');

export const hex32 = (): string => randomBytes(16).toString('hex');
export const newUserId = (): string => `U${hex32()}`;
export const newGroupId = (): string => `C${hex32()}`;

let seq = 0;
/** 26 characters like a ULID, unique per call. */
export const newEventId = (): string => `01${(Date.now().toString(16) + (++seq).toString(16).padStart(6, '0') + hex32()).toUpperCase().slice(0, 24)}`;

export type WebhookEvent = Record<string, unknown> & { type: string; webhookEventId: string };

interface Common {
  userId?: string;
  replyToken?: string;
  webhookEventId?: string;
  isRedelivery?: boolean;
}

function base(type: string, o: Common, source?: Record<string, unknown>): WebhookEvent {
  return {
    type,
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: o.webhookEventId ?? newEventId(),
    deliveryContext: { isRedelivery: o.isRedelivery ?? false },
    source: source ?? { type: 'user', userId: o.userId ?? newUserId() },
  };
}

const messageId = () => String(Date.now()) + String(++seq);

export const textEvent = (text: string, o: Common = {}): WebhookEvent => ({
  ...base('message', o),
  replyToken: o.replyToken ?? hex32(),
  message: { type: 'text', id: messageId(), text, quoteToken: `q-${hex32()}`, markAsReadToken: `r-${hex32()}` },
});

export const stickerEvent = (o: Common = {}): WebhookEvent => ({
  ...base('message', o),
  replyToken: o.replyToken ?? hex32(),
  message: { type: 'sticker', id: messageId(), packageId: '446', stickerId: '1988', stickerResourceType: 'STATIC', quoteToken: `q-${hex32()}` },
});

export const imageEvent = (o: Common = {}): WebhookEvent => ({
  ...base('message', o),
  replyToken: o.replyToken ?? hex32(),
  message: { type: 'image', id: messageId(), contentProvider: { type: 'line' }, quoteToken: `q-${hex32()}` },
});

export const postbackEvent = (data: string, o: Common = {}): WebhookEvent => ({
  ...base('postback', o),
  replyToken: o.replyToken ?? hex32(),
  postback: { data },
});

export const followEvent = (o: Common = {}): WebhookEvent => ({
  ...base('follow', o),
  replyToken: o.replyToken ?? hex32(),
  follow: { isUnblocked: false },
});

/** Unfollow events carry no reply token. */
export const unfollowEvent = (o: Common = {}): WebhookEvent => base('unfollow', o);

/** A text event while another channel is in control: no reply token, and the bot must stay silent. */
export const standbyEvent = (text: string, o: Common = {}): WebhookEvent => {
  const e: WebhookEvent = { ...textEvent(text, o), mode: 'standby' };
  delete e.replyToken;
  return e;
};

/** A text message in a group chat; `mentionBot` adds an @mention of the bot at the start. */
export const groupTextEvent = (text: string, o: Common & { groupId?: string; mentionBot?: boolean } = {}): WebhookEvent => {
  const mention = '@子育てコンシェルジュ ';
  const full = o.mentionBot ? mention + text : text;
  return {
    ...base('message', o, { type: 'group', groupId: o.groupId ?? newGroupId(), userId: o.userId ?? newUserId() }),
    replyToken: o.replyToken ?? hex32(),
    message: {
      type: 'text',
      id: messageId(),
      text: full,
      quoteToken: `q-${hex32()}`,
      ...(o.mentionBot ? { mention: { mentionees: [{ index: 0, length: mention.length - 1, type: 'user', userId: newUserId(), isSelf: true }] } } : {}),
    },
  };
};

export const callbackBody = (events: WebhookEvent[], destination = 'U' + 'f'.repeat(32)): string => JSON.stringify({ destination, events });

export interface PostOptions {
  secret: string;
  /** Overrides the computed signature; `null` sends none. */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** POSTs a raw body to `${appUrl}/webhook`, signed with `secret` unless told otherwise. */
export async function postWebhook(appUrl: string, rawBody: string | Buffer, opts: PostOptions): Promise<Response> {
  const signature = opts.signature === undefined ? lineSignature(rawBody, opts.secret) : opts.signature;
  return fetch(`${appUrl}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-line-signature': signature }), ...opts.headers },
    body: typeof rawBody === 'string' ? rawBody : new Uint8Array(rawBody),
  });
}

/** Signs and POSTs events. */
export const sendEvents = (appUrl: string, events: WebhookEvent[], secret: string): Promise<Response> => postWebhook(appUrl, callbackBody(events), { secret });

/**
 * Signs and POSTs events on a connection of its own (no keep-alive); resolves with the status. For load tests: on a
 * starved machine a kept-alive connection can be closed by the server just as the client reuses it (the client's idle
 * timer runs late), and that request is then reset without having been read.
 */
export function sendEventsOnNewConnection(appUrl: string, events: WebhookEvent[], secret: string): Promise<number> {
  const body = callbackBody(events);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${appUrl}/webhook`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-line-signature': lineSignature(body, secret),
          connection: 'close',
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
