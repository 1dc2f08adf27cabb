import { createHmac, randomBytes } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';

/**
 * Builds the webhook requests the local simulator sends, shaped like LINE's own (shared/line-openapi/webhook.yml)
 * and signed like LINE signs them, so a simulated conversation runs the exact production path: signature check,
 * event routing, duplicate check, reply tokens. Pure apart from the default clock and randomness, which tests
 * replace.
 */

/** What the simulator page can do, in the page's own words. */
export type SimulatorInput =
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string; displayText?: string }
  | { kind: 'sticker' }
  | { kind: 'image' }
  | { kind: 'location' }
  /** `language`: the simulated LINE profile's language (the local LINE API answers the profile with it). */
  | { kind: 'follow'; language?: string }
  | { kind: 'unfollow' };

export type SimulatorKind = SimulatorInput['kind'];

/** The bot's user ID in local mode (`destination`). Any `U` + 32 hex does; this one reads "kasaoka". */
export const SIMULATOR_BOT_USER_ID = `U${'ca5a0ca'.padEnd(32, '0')}`;

/** LINE user IDs: `U` + 32 lowercase hex digits. */
export const USER_ID_PATTERN = /^U[0-9a-f]{32}$/;

/** The sample sticker: LINE's free "Brown & Cony" set, as a phone sends it. */
export const SAMPLE_STICKER = { packageId: '446', stickerId: '1988' } as const;

/** The sample location: Kasaoka City Hall. */
export const SAMPLE_LOCATION = { title: '笠岡市役所', address: '岡山県笠岡市中央町1-1', latitude: 34.5071, longitude: 133.5075 } as const;

export interface BuildContext {
  userId: string;
  /** Epoch milliseconds; default Date.now(). */
  now?: number;
  /** n random bytes; default crypto.randomBytes. */
  random?: (n: number) => Uint8Array;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (26 Crockford base-32 characters: 48-bit time, 80 random bits), the format of `webhookEventId`. */
export function ulid(now: number, random: (n: number) => Uint8Array): string {
  let time = '';
  let t = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = random(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(bits & 31n)]! + rand;
    bits >>= 5n;
  }
  return time + rand;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Message IDs on LINE are decimal strings of about 18 digits. */
function messageId(now: number, random: (n: number) => Uint8Array): string {
  const [a = 0, b = 0] = random(2);
  return `${now}${String(a * 256 + b).padStart(5, '0')}`;
}

/** One webhook event for one simulated person in a one-to-one chat. */
export function buildEvent(input: SimulatorInput, ctx: BuildContext): webhook.Event {
  const now = ctx.now ?? Date.now();
  const random = ctx.random ?? ((n: number) => randomBytes(n));
  const base = {
    timestamp: now,
    mode: 'active' as const,
    webhookEventId: ulid(now, random),
    deliveryContext: { isRedelivery: false },
    source: { type: 'user' as const, userId: ctx.userId },
  };
  const replyToken = hex(random(16));
  const quoteToken = `q${hex(random(16))}`;
  const markAsReadToken = `r${hex(random(16))}`;
  const id = messageId(now, random);

  switch (input.kind) {
    case 'text':
      return { ...base, type: 'message', replyToken, message: { type: 'text', id, text: input.text, quoteToken, markAsReadToken } };
    case 'postback':
      // LINE shows a postback's displayText as the person's message but sends only the data in the event.
      return { ...base, type: 'postback', replyToken, postback: { data: input.data } };
    case 'sticker':
      return {
        ...base,
        type: 'message',
        replyToken,
        message: { type: 'sticker', id, ...SAMPLE_STICKER, stickerResourceType: 'STATIC', keywords: ['Brown', 'hello'], quoteToken, markAsReadToken },
      };
    case 'image':
      return { ...base, type: 'message', replyToken, message: { type: 'image', id, contentProvider: { type: 'line' }, quoteToken, markAsReadToken } };
    case 'location':
      return { ...base, type: 'message', replyToken, message: { type: 'location', id, ...SAMPLE_LOCATION, markAsReadToken } };
    case 'follow':
      return { ...base, type: 'follow', replyToken, follow: { isUnblocked: false } };
    case 'unfollow':
      // LINE sends no reply token with unfollow: nobody is there to read a reply.
      return { ...base, type: 'unfollow' };
  }
}

/** The request body, serialised once: the signature covers exactly these bytes. */
export function callbackBody(events: webhook.Event[], destination: string = SIMULATOR_BOT_USER_ID): string {
  const body: webhook.CallbackRequest = { destination, events };
  return JSON.stringify(body);
}

/** `x-line-signature`: Base64 of HMAC-SHA256 over the raw body, keyed with the channel secret. */
export const lineSignature = (rawBody: string | Buffer, channelSecret: string): string => createHmac('sha256', channelSecret).update(rawBody).digest('base64');

export interface SignedRequest {
  body: string;
  signature: string;
  event: webhook.Event;
}

/** One event as a signed webhook request body. */
export function signedRequest(input: SimulatorInput, ctx: BuildContext & { channelSecret: string }): SignedRequest {
  const event = buildEvent(input, ctx);
  const body = callbackBody([event]);
  return { body, signature: lineSignature(body, ctx.channelSecret), event };
}
