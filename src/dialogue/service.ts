import type { StateStore } from '../storage/state-store.js';
import type { Concierge } from './concierge.js';
import type { ConversationHandler } from './service-types.js';
import { emptyState, type Incoming, type Response } from './types.js';

/** Wraps the pure core with state I/O: load state, respond, save state. */
export class ConversationService implements ConversationHandler {
  constructor(
    private readonly concierge: () => Concierge,
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  async handle(userId: string, message: Incoming): Promise<Response> {
    const state = (await this.store.get(userId)) ?? emptyState();
    const turn = this.concierge().respond(message, state, this.now());
    await this.store.set(userId, turn.state);
    return turn;
  }

  async forget(userId: string): Promise<void> {
    await this.store.delete(userId);
  }
}
