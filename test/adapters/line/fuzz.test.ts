import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assembled } from '../../../src/assemble.js';
import { startApp, type RunningApp } from '../../support/app.js';
import { startLineStub, type LineStub } from '../../support/line-stub.js';
import { lineSignature, postWebhook } from '../../support/webhook-client.js';

// Thousands of random and malformed webhook requests: never a crash, never a 5xx for a validly signed body, always
// 401 for a bad signature, and memory stays bounded.
const SECRET = 'fuzz-secret';
const ROUNDS = 2500;
let stub: LineStub;
let app: RunningApp;
let service: Assembled;
let url: string;

beforeAll(async () => {
  stub = await startLineStub();
  app = await startApp({ secret: SECRET, lineApiBaseUrl: stub.baseURL, webhook: { pushRetryDelaysMs: [1] } });
  ({ service, url } = app);
});
afterAll(async () => {
  await app.close();
  await stub.close();
});

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const EVENT_TYPES = [
  'message',
  'postback',
  'follow',
  'unfollow',
  'join',
  'leave',
  'memberJoined',
  'memberLeft',
  'unsend',
  'beacon',
  'accountLink',
  'things',
  'videoPlayComplete',
  'membership',
  'nonsense',
  '',
  42,
  null,
];
const MESSAGE_TYPES = ['text', 'sticker', 'image', 'video', 'audio', 'file', 'location', 'imagemap', 'what', undefined];
const TEXTS = [
  '保育園',
  '',
  ' ',
  '😀'.repeat(50),
  'a'.repeat(6000),
  '担当者と話したい',
  '子どもが息をしていない',
  '\u0000\u0001',
  '<script>alert(1)</script>',
  'a=handoff',
  '{"x":1}',
];

function randomValue(r: ReturnType<typeof rng>, depth = 0): unknown {
  const kind = r.int(depth > 3 ? 5 : 8);
  if (kind === 0) return r.pick(TEXTS);
  if (kind === 1) return r.int(2 ** 31) * (r.next() < 0.5 ? -1 : 1);
  if (kind === 2) return r.next() < 0.5;
  if (kind === 3) return null;
  if (kind === 4) return r.next();
  if (kind === 5) return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
  return Object.fromEntries(
    Array.from({ length: r.int(4) }, () => [r.pick(['type', 'text', 'id', 'userId', 'data', 'x', 'source', 'message']), randomValue(r, depth + 1)]),
  );
}

function randomEvent(r: ReturnType<typeof rng>): unknown {
  const e: Record<string, unknown> = {
    type: r.pick(EVENT_TYPES),
    mode: r.pick(['active', 'standby', 'weird', undefined]),
    timestamp: r.pick([Date.now(), -1, 'now', undefined]),
    webhookEventId: r.pick([`01FUZZ${r.int(1e9)}`, '', undefined, 7]),
    deliveryContext: r.pick([{ isRedelivery: r.next() < 0.2 }, null, 'x', undefined]),
    source: r.pick([
      { type: 'user', userId: `Ufuzz${r.int(50)}` },
      { type: 'group', groupId: `Cfuzz${r.int(5)}`, userId: `Ufuzz${r.int(50)}` },
      { type: 'room' },
      { type: 'user' },
      null,
      'x',
      undefined,
    ]),
    replyToken: r.pick([`${r.int(1e12)}`.padStart(32, '0'), '00000000000000000000000000000000', undefined, 5]),
  };
  if (r.next() < 0.7)
    e.message = { type: r.pick(MESSAGE_TYPES), id: `${r.int(1e9)}`, text: r.pick(TEXTS), ...(r.next() < 0.2 ? { mention: randomValue(r) } : {}) };
  if (r.next() < 0.3)
    e.postback = { data: r.pick(['a=facet&i=sick-child-care&f=cost', 'a=fb&i=x&v=up', 'a=guide&s=start', 'a=erase', '%%%', 'x'.repeat(400), '']) };
  if (r.next() < 0.2) e.unsend = { messageId: r.pick(['1', '', undefined]) };
  if (r.next() < 0.2) e.extra = randomValue(r);
  return e;
}

function randomBody(r: ReturnType<typeof rng>): string | Buffer {
  const kind = r.int(10);
  if (kind === 0) return Buffer.from(Array.from({ length: r.int(300) }, () => r.int(256)));
  if (kind === 1) return JSON.stringify(randomValue(r));
  if (kind === 2)
    return JSON.stringify({ destination: 'U' + 'f'.repeat(32), events: Array.from({ length: r.int(5) }, () => randomEvent(r)) }).slice(0, r.int(200));
  if (kind === 3) return '';
  if (kind === 4) return JSON.stringify({ events: randomValue(r) });
  return JSON.stringify({ destination: r.pick(['U' + 'f'.repeat(32), 5, undefined]), events: Array.from({ length: r.int(6) }, () => randomEvent(r)) });
}

describe('webhook fuzzing', () => {
  it(`${ROUNDS} random requests: 401 for every bad signature, no 5xx for a valid one, alive and bounded after`, async () => {
    const r = rng(20261129);
    const rssBefore = process.memoryUsage().rss;
    const statuses = new Map<string, number>();
    for (let i = 0; i < ROUNDS; i++) {
      const body = randomBody(r);
      const valid = r.next() < 0.6;
      const signature = valid
        ? lineSignature(body, SECRET)
        : r.pick([null, '', 'x', lineSignature(body, 'wrong'), lineSignature(`${body.toString()} `, SECRET)]);
      const headers: Record<string, string> = r.pick<Record<string, string>>([
        {},
        { 'content-type': 'text/plain' },
        { 'content-type': 'application/json; charset=shift_jis' },
        { 'x-line-signature': 'dup' },
      ]);
      const res = await postWebhook(url, body, { secret: SECRET, signature, headers: valid ? { ...headers, 'x-line-signature': signature! } : headers });
      await res.arrayBuffer();
      const key = `${valid ? 'valid' : 'invalid'}:${res.status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (valid) expect([200, 400, 413], `round ${i}`).toContain(res.status);
      else expect(res.status, `round ${i}`).toBe(401);
    }
    await service.app.drain();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(statuses.get('valid:200')).toBeGreaterThan(ROUNDS / 10);
    // Bounded: nothing piles up per request (the first requests also warm caches, so allow some growth).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});
