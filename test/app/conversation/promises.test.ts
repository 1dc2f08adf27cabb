import { describe, expect, it } from 'vitest';
import type { PromiseSpool, Promised } from '../../../src/app/conversation/promise-spool.js';
import { KeptPromises } from '../../../src/app/conversation/promises.js';
import type { OpenInput } from '../../../src/app/handoff/service.js';
import { JA } from '../../../src/core/conversation/copy/ja.js';

// Handoffs and erases promised to parents while the store is away (issue 17 items 12 and 13).
function world(opts: { storeUp?: () => boolean; now?: () => number; spool?: PromiseSpool } = {}) {
  const up = opts.storeUp ?? (() => true);
  const log: string[] = [];
  const told: { chatId: string; text: string }[] = [];
  const promises = new KeptPromises({
    handoff: {
      open: async (input: OpenInput) => {
        if (!up()) throw new Error('store away');
        log.push(`handoff ${input.userId}`);
        return { handoff: {} as never, created: true };
      },
      tellParent: async (chatId, replies) => void told.push({ chatId, text: replies.map((r) => (r.type === 'text' ? r.text : '')).join() }),
    },
    erase: async (userId) => {
      if (!up()) throw new Error('store away');
      log.push(`erase ${userId}`);
    },
    eraseFailedText: () => 'could not erase',
    retryMs: 60_000,
    maxAgeMs: 3_600_000,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.spool ? { spool: opts.spool } : {}),
  });
  return { promises, log, told };
}
const input = (userId: string): OpenInput => ({ userId, chatId: userId, reason: 'requested', summary: { topics: [] } });

describe('promises kept while the store is away', () => {
  it('an erase drops a handoff promised earlier to the same person: nothing of theirs is stored after it', async () => {
    const w = world();
    w.promises.handoff(input('U1'));
    w.promises.handoff(input('U2'));
    w.promises.erase('U1', 'U1');
    expect(await w.promises.flush()).toBe(0);
    expect(w.log).toEqual(['erase U1', 'handoff U2']);
    expect(w.told).toEqual([{ chatId: 'U1', text: JA.erase.doneLater }]);
  });

  it('gives up what waited longer than its retention: the handoff is logged, the erase is reported to the parent', async () => {
    let clock = Date.parse('2026-12-01T10:00:00+09:00');
    const w = world({ storeUp: () => false, now: () => clock });
    w.promises.handoff(input('U1'));
    w.promises.erase('U2', 'U2');
    w.promises.erase('U3');
    expect(await w.promises.flush()).toBe(3);
    clock += 3_600_001;
    expect(await w.promises.flush()).toBe(0);
    expect(w.told).toEqual([{ chatId: 'U2', text: 'could not erase' }]);
  });

  it('writes every change through to the spool, and adopts what another instance left there', async () => {
    const kept: Promised[][] = [];
    const left: Promised = { kind: 'handoff', id: 'left-1', at: Date.now(), input: input('U9') };
    const spool: PromiseSpool = {
      where: '/spool',
      keep: async (items) => void kept.push([...items]),
      takeLeftovers: async (adopt) => {
        await adopt([left]);
        return 1;
      },
      release: async () => undefined,
    };
    let up = false;
    const w = world({ storeUp: () => up, spool });
    w.promises.handoff(input('U1'));
    expect(await w.promises.takeOver()).toBe(1);
    expect(kept.at(-1)!.map((p) => (p.kind === 'handoff' ? p.input.userId : p.userId))).toEqual(['U1', 'U9']);
    up = true;
    await w.promises.flush();
    await w.promises.close();
    expect({ log: w.log, last: kept.at(-1) }).toEqual({ log: ['handoff U1', 'handoff U9'], last: [] });
  });
});
