import type { Incoming, Response } from '../../core/conversation/types.js';

/** Where the message came from, beyond the person: used for handoffs and for unsend. */
export interface MessageMeta {
  /** The chat replies and pushes go to (a group or room, or the user); default the user. */
  chatId?: string;
  /** The platform's id of this message, so it can be removed when unsent. */
  messageId?: string;
  /** The platform's id of the event: what it was answered is stored with the state (see AppliedTurn). */
  eventId?: string;
  /**
   * Another instance had started this event and stopped (see the webhook's per-person queue): if it stored the
   * outcome, the same answer is sent again and nothing is written twice.
   */
  resumed?: boolean;
  /**
   * Sends the answer. Called as soon as it is decided, while the conversation is still being stored (the parent
   * waits one round trip less); handle() resolves when both are done. Without it the caller sends the result.
   */
  deliver?: (response: Response) => Promise<void>;
}

/**
 * The conversation core as transports see it: one call per incoming message. It loads the person's
 * state, decides, stores the new state and returns the decision and the replies to send.
 */
export interface ConversationHandler {
  handle(userId: string, message: Incoming, meta?: MessageMeta): Promise<Response>;
  /** The person unsent a message: remove it from anything stored. */
  unsend(userId: string, messageId: string): Promise<void>;
  /** Forget everything stored about this person (unfollow, erase request). */
  forget(userId: string): Promise<void>;
}
