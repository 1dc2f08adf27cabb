import type { ConversationStore } from '../../app/conversation/state-store.js';
import type { SeenEvents } from '../line/seen-events.js';
import type { Readiness } from '../http/readiness.js';

/**
 * The per-person store of this process, as the composition root holds it: one connection (Redis, or this process's
 * memory) serving several small ports, each declared by the code that uses it — the conversation's state and applied
 * turns (the conversation service), seen event ids (the webhook) and readiness (GET /readyz) — plus its own
 * lifecycle.
 */
export interface StateStore extends ConversationStore, SeenEvents, Readiness {
  close(): Promise<void>;
  readonly kind: 'memory' | 'redis';
}
