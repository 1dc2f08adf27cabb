import { appendFileSync } from 'node:fs';
import type { messagingApi } from '@line/bot-sdk';
import { PUSH, REPLY, type Call, type StubReply, type StubRoute } from './line-stub.js';

/**
 * LINE's delivery rules for the stub (docs/line-platform.md 4.2, 4.10): a reply token works once (a reused one is
 * answered 400 "Invalid reply token"), and a push whose X-Line-Retry-Key was already accepted is answered 409 and
 * not delivered again. Counts what the parents were shown, per label (by default the first message's text), so a
 * fault test can say how many events were answered once, twice or not at all.
 *
 * Faults are scripted per call: `refuse` answers a status and delivers nothing, `hang` holds the call (nothing
 * delivered; a 503 after `ms`, default two minutes), `late` delivers at once but answers 200 only after `ms`.
 */
export type Fault = { kind: 'refuse'; status: number } | { kind: 'hang'; ms?: number } | { kind: 'late'; ms: number };

export interface Tally {
  sent: number;
  once: number;
  twice: number;
  lost: number;
}

export interface LineLedger {
  route: StubRoute;
  /** Deliveries per label. */
  readonly delivered: Map<string, number>;
  /** Replies and pushes LINE accepted (and showed). */
  readonly accepted: { reply: number; push: number };
  tally(labels: Iterable<string>): Tally;
}

const firstText = (call: Call): string => {
  const body = call.body as { messages?: messagingApi.Message[]; to?: string } | undefined;
  const m = body?.messages?.[0];
  return m && m.type === 'text' ? m.text : String(body?.to ?? '?');
};

export function lineLedger(opts: { fault?: (call: Call) => Fault | undefined; label?: (call: Call) => string } = {}): LineLedger {
  const usedTokens = new Set<string>();
  const retryKeys = new Set<string>();
  const delivered = new Map<string, number>();
  const accepted = { reply: 0, push: 0 };
  const label = opts.label ?? firstText;
  const deliver = (call: Call, via: 'reply' | 'push') => {
    accepted[via]++;
    const l = label(call);
    delivered.set(l, (delivered.get(l) ?? 0) + 1);
  };
  const ok: StubReply = { status: 200, body: { sentMessages: [{ id: '1' }] } };

  const route: StubRoute = (call) => {
    if (call.path !== REPLY && call.path !== PUSH) return undefined;
    const fault = opts.fault?.(call);
    if (fault?.kind === 'refuse') return { status: fault.status, body: { message: fault.status === 429 ? 'Too many requests' : 'Internal server error' } };
    if (fault?.kind === 'hang') return { status: 503, body: { message: 'Service unavailable' }, delayMs: fault.ms ?? 120_000 };
    const later = fault?.kind === 'late' ? { delayMs: fault.ms } : {};
    if (call.path === REPLY) {
      const token = String((call.body as { replyToken?: unknown }).replyToken);
      if (usedTokens.has(token)) return { status: 400, body: { message: 'Invalid reply token' }, ...later };
      usedTokens.add(token);
      deliver(call, 'reply');
      return { ...ok, ...later };
    }
    const key = call.headers['x-line-retry-key'];
    if (typeof key === 'string') {
      if (retryKeys.has(key))
        return {
          status: 409,
          body: { message: 'The retry key is already accepted', sentMessages: [{ id: '1' }] },
          headers: { 'x-line-accepted-request-id': 'first' },
          ...later,
        };
      retryKeys.add(key);
    }
    deliver(call, 'push');
    return { ...ok, ...later };
  };

  return {
    route,
    delivered,
    accepted,
    tally(labels) {
      const t: Tally = { sent: 0, once: 0, twice: 0, lost: 0 };
      for (const l of labels) {
        t.sent++;
        const n = delivered.get(l) ?? 0;
        if (n === 0) t.lost++;
        else if (n === 1) t.once++;
        else t.twice++;
      }
      return t;
    },
  };
}

/**
 * Prints a fault scenario's figures, and appends them as one JSON line to the file named by FAULTS_REPORT, which
 * `npm run faults` reads to print its table.
 */
export function reportFaults(scenario: string, figures: Tally & Record<string, unknown>): void {
  console.log(`${scenario}: ${JSON.stringify(figures)}`);
  const file = process.env.FAULTS_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ scenario, ...figures })}\n`);
}
