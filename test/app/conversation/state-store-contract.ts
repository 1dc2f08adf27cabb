import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationState } from '../../../src/core/conversation/types.js';
import type { StateStore } from '../../../src/adapters/stores/state-store.js';

/** One store under test plus a way to let time pass for it. */
export interface StateStoreHarness {
  store: StateStore;
  /** Lets `seconds` pass as the store sees it: a fake clock for memory, real waiting for Redis. */
  elapse(seconds: number): Promise<void>;
  /** Closes the store and removes anything it left behind. */
  dispose(): Promise<void>;
}

export type StateStoreFactory = (options: { ttlSeconds: number; eventTtlSeconds?: number }) => Promise<StateStoreHarness>;

export function sampleState(overrides: Partial<ConversationState> = {}): ConversationState {
  return {
    topic: { intent: 'nursery_application', facet: 'cost', at: 1_700_000_000_000 },
    pending: { candidates: ['nursery_application', 'after_school_club'], at: 1_700_000_000_500 },
    misses: 1,
    updatedAt: 1_700_000_001_000,
    ...overrides,
  };
}

/**
 * What every StateStore promises, port by port (ConversationStates, AppliedTurns, SeenEvents, Readiness), whatever
 * keeps the data. Run once per implementation so memory (local use)
 * and Redis (production) cannot drift apart.
 */
export function describeStateStoreContract(name: string, factory: StateStoreFactory): void {
  describe(`${name} (StateStore contract)`, () => {
    let harness: StateStoreHarness | undefined;
    const open = async (options: { ttlSeconds: number; eventTtlSeconds?: number } = { ttlSeconds: 3600 }) => {
      harness = await factory(options);
      return harness;
    };
    afterEach(async () => {
      await harness?.dispose();
      harness = undefined;
    });

    describe('conversation state', () => {
      it('returns undefined for a user it has never seen', async () => {
        const { store } = await open();
        expect(await store.get('U-never-seen')).toBeUndefined();
      });

      it('gives back exactly the state that was stored (round trip)', async () => {
        const { store } = await open();
        const state = sampleState();
        await store.set('U-alice', state);
        expect(await store.get('U-alice')).toEqual(state);
      });

      it('round-trips a minimal state without topic or pending', async () => {
        const { store } = await open();
        await store.set('U-alice', { misses: 0, updatedAt: 0 });
        expect(await store.get('U-alice')).toEqual({ misses: 0, updatedAt: 0 });
      });

      it('keeps each user’s conversation separate', async () => {
        const { store } = await open();
        await store.set('U-alice', sampleState({ misses: 1 }));
        await store.set('U-bob', sampleState({ misses: 2 }));
        expect((await store.get('U-alice'))?.misses).toBe(1);
        expect((await store.get('U-bob'))?.misses).toBe(2);
      });

      it('replaces the previous state on set', async () => {
        const { store } = await open();
        await store.set('U-alice', sampleState());
        await store.set('U-alice', { misses: 0, updatedAt: 5 });
        expect(await store.get('U-alice')).toEqual({ misses: 0, updatedAt: 5 });
      });

      it('is not affected when callers mutate objects they passed in or got back', async () => {
        const { store } = await open();
        const state = sampleState();
        await store.set('U-alice', state);
        state.misses = 99;
        state.pending?.candidates.push('mutated');
        const got = await store.get('U-alice');
        if (!got) throw new Error('expected a stored state');
        got.misses = 42;
        got.topic = undefined;
        expect(await store.get('U-alice')).toEqual(sampleState());
      });

      it('forgets a conversation on delete', async () => {
        const { store } = await open();
        await store.set('U-alice', sampleState());
        await store.delete('U-alice');
        expect(await store.get('U-alice')).toBeUndefined();
      });

      it('accepts deleting a user it does not know', async () => {
        const { store } = await open();
        await expect(store.delete('U-never-seen')).resolves.toBeUndefined();
      });
    });

    describe('retention', () => {
      it('keeps a conversation before its TTL and forgets it after', async () => {
        const { store, elapse } = await open({ ttlSeconds: 1 });
        await store.set('U-alice', sampleState());
        await elapse(0.4);
        expect(await store.get('U-alice')).toEqual(sampleState());
        await elapse(0.8);
        expect(await store.get('U-alice')).toBeUndefined();
      });

      it('restarts the TTL when the conversation is written again', async () => {
        const { store, elapse } = await open({ ttlSeconds: 1 });
        await store.set('U-alice', sampleState({ misses: 1 }));
        await elapse(0.6);
        await store.set('U-alice', sampleState({ misses: 2 }));
        await elapse(0.6); // 1.2 s after the first write, 0.6 s after the second
        expect((await store.get('U-alice'))?.misses).toBe(2);
      });
    });

    describe('what an event was answered (so an event taken over is not handled twice)', () => {
      const turn = (eventId: string) => ({
        eventId,
        response: { decision: { action: 'answer' as const, intent: 'sick-child-care' }, replies: [{ type: 'text' as const, text: '答え' }], quickReplies: [] },
      });

      it('keeps it with the state, for that event only, and only the latest', async () => {
        const { store } = await open();
        await store.set('U1', sampleState(), turn('E1'));
        expect(await store.appliedTurn('U1', 'E1')).toEqual(turn('E1'));
        expect(await store.appliedTurn('U1', 'E0')).toBeUndefined();
        await store.recordTurn('U1', turn('E2'));
        expect({ e1: await store.appliedTurn('U1', 'E1'), e2: await store.appliedTurn('U1', 'E2'), other: await store.appliedTurn('U2', 'E2') }).toEqual({
          e1: undefined,
          e2: turn('E2'),
          other: undefined,
        });
      });

      it('forgets it with the person, and after the TTL', async () => {
        const { store, elapse } = await open({ ttlSeconds: 1 });
        await store.set('U1', sampleState(), turn('E1'));
        await store.delete('U1');
        expect(await store.appliedTurn('U1', 'E1')).toBeUndefined();
        await store.recordTurn('U2', turn('E2'));
        await elapse(1.5);
        expect(await store.appliedTurn('U2', 'E2')).toBeUndefined();
      });
    });

    describe('duplicate event detection', () => {
      it('accepts an event id the first time and rejects it as a duplicate afterwards', async () => {
        const { store } = await open();
        expect(await store.markEvent('evt-1')).toBe(true);
        expect(await store.markEvent('evt-1')).toBe(false);
        expect(await store.markEvent('evt-1')).toBe(false);
      });

      it('treats different event ids independently', async () => {
        const { store } = await open();
        expect(await store.markEvent('evt-1')).toBe(true);
        expect(await store.markEvent('evt-2')).toBe(true);
      });

      it('does not confuse an event id with a user id', async () => {
        const { store } = await open();
        await store.set('same-id', sampleState());
        expect(await store.markEvent('same-id')).toBe(true);
        expect(await store.get('same-id')).toEqual(sampleState());
      });

      it('forgets an event id after the event TTL', async () => {
        const { store, elapse } = await open({ ttlSeconds: 3600, eventTtlSeconds: 1 });
        expect(await store.markEvent('evt-1')).toBe(true);
        await elapse(1.2);
        expect(await store.markEvent('evt-1')).toBe(true);
      });
    });

    describe('lifecycle', () => {
      it('reports ready', async () => {
        const { store } = await open();
        expect(await store.ready()).toBe(true);
      });

      it('declares its kind', async () => {
        const { store } = await open();
        expect(['memory', 'redis']).toContain(store.kind);
      });
    });
  });
}
