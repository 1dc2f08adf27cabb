import type { ConversationState } from '../../core/conversation/types.js';

/**
 * Where conversation state lives between messages. Memory and Redis implement the same contract; every
 * value expires after the store's TTL so nothing a parent wrote is kept longer than the retention limit.
 */
export interface StateStore {
  get(userId: string): Promise<ConversationState | undefined>;
  set(userId: string, state: ConversationState): Promise<void>;
  delete(userId: string): Promise<void>;
  /** Marks an event id as seen; false when it was already seen (duplicate delivery). */
  markEvent(eventId: string): Promise<boolean>;
  /** Readiness: true when the store can serve requests now (Redis answers PING; memory is always ready). Never throws. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
  readonly kind: 'memory' | 'redis';
}
