import type { Handoff } from '../../src/app/handoff/types.js';

/** Makes waiting handoffs with fresh ids and users (h-1/U1, h-2/U2, …), each field overridable. */
export function handoffMaker(): (over?: Partial<Handoff>) => Handoff {
  let n = 0;
  return (over = {}) => {
    n++;
    return {
      id: `h-${n}`,
      userId: `U${n}`,
      chatId: `U${n}`,
      status: 'waiting',
      reason: 'requested',
      urgent: false,
      openedAt: 1_000 + n,
      lastActivityAt: 1_000 + n,
      summary: { topics: [] },
      ...over,
    };
  };
}
