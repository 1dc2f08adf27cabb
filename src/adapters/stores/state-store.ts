import type { ConversationStore } from '../../app/conversation/state-store.js';

/**
 * The per-person store of this process, as the composition root holds it: one connection (Redis, or this process's
 * memory) serving several small ports, each declared by the code that uses it — the conversation's state and applied
 * turns (ConversationStore, the conversation service), seen event ids (SeenEvents, the webhook) and readiness
 * (Readiness, GET /readyz) — plus its own lifecycle. The last two are matched by shape, not imported: the stores sit
 * below the webhook and the HTTP app and do not depend on them.
 */
export interface StateStore extends ConversationStore {
  /** SeenEvents: marks an event id as seen; false when it was already seen (duplicate delivery). */
  markEvent(eventId: string): Promise<boolean>;
  /** Readiness: true when the store can serve requests now (Redis answers PING; memory always). Never throws. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
  readonly kind: 'memory' | 'redis';
}
