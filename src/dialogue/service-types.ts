import type { Incoming, Response } from './types.js';

/**
 * The conversation core as transports see it: one call per incoming message. It loads the person's
 * state, decides, stores the new state and returns the decision and the replies to send.
 */
export interface ConversationHandler {
  handle(userId: string, message: Incoming): Promise<Response>;
  /** Forget everything stored about this person (unfollow, erase request). */
  forget(userId: string): Promise<void>;
}
