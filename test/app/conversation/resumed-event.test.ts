import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { ConversationService } from '../../../src/app/conversation/service.js';
import { MemoryStateStore } from '../../../src/app/conversation/memory-state-store.js';
import { MemoryHandoffEvents, MemoryHandoffStore, MemoryTranscriptStore } from '../../../src/app/handoff/memory-handoff-store.js';
import { HandoffService } from '../../../src/app/handoff/service.js';
import { MemoryUsageStats, monthOf } from '../../../src/app/insights/usage-stats.js';
import { createLogger } from '../../../src/app/log.js';
import { OfficeHours } from '../../../src/core/calendar/office-hours.js';
import type { Response } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

// Issue 17: an event another instance had started and stopped in the middle of (its drain budget spent, LINE hung) is
// handled again by the instance that takes it over. What the first one stored must not be stored twice, and the
// parent must get the same answer.
let core: Core;
beforeAll(async () => {
  core = await getCore();
});

const AT = Date.parse('2026-11-30T10:00:00+09:00');

function world() {
  const now = () => AT;
  const transcript = new MemoryTranscriptStore({ retentionMs: 86_400_000, now });
  const handoff = new HandoffService({
    store: new MemoryHandoffStore({ retentionMs: 86_400_000, now }),
    transcript,
    events: new MemoryHandoffEvents(),
    parent: { send: async () => undefined },
    hours: new OfficeHours(),
    idleMs: 3_600_000,
    answer: () => undefined,
    logger: createLogger({ level: 'silent' }),
    now,
  });
  const stats = new MemoryUsageStats();
  const states = new MemoryStateStore({ ttlSeconds: 3600, now });
  const conversations = new ConversationService({ concierge: () => core.concierge, store: states, handoff, stats, now });
  /** Handles one event as an instance does, returning what it sent. */
  const handle = async (userId: string, text: string, eventId: string, resumed = false) => {
    const sent: Response[] = [];
    await conversations.handle(userId, { kind: 'text', text }, { eventId, ...(resumed ? { resumed } : {}) }, { send: async (r) => void sent.push(r) });
    return sent;
  };
  const stored = async (userId: string) => ({
    parentEntries: (await transcript.list(userId)).filter((e) => e.from === 'parent').length,
    decisionsCounted: Object.entries((await stats.month(monthOf(AT))).counts)
      .filter(([k]) => k.startsWith('action:'))
      .reduce((n, [, v]) => n + v, 0),
    misses: (await states.get(userId))?.misses,
  });
  return { handle, stored };
}

describe('an event taken over after the instance handling it stopped', () => {
  it('is answered again the same, and stores nothing twice, when the first instance had stored it', async () => {
    const w = world();
    const first = await w.handle('U1', 'ほげほげふがふが', 'E1');
    const again = await w.handle('U1', 'ほげほげふがふが', 'E1', true);
    // Each time through the output channel exactly once: the service is the only sender of a turn's answer.
    expect({ sends: [first.length, again.length], same: again.map((r) => r.replies), stored: await w.stored('U1') }).toEqual({
      sends: [1, 1],
      same: first.map((r) => r.replies),
      stored: { parentEntries: 1, decisionsCounted: 1, misses: 1 },
    });
  });

  it('is handled in full when the first instance stopped before storing it', async () => {
    const w = world();
    const sent = await w.handle('U2', '病児保育について教えて', 'E2', true);
    expect({ answered: sent.length, stored: await w.stored('U2') }).toEqual({ answered: 1, stored: { parentEntries: 1, decisionsCounted: 1, misses: 0 } });
  });
});
