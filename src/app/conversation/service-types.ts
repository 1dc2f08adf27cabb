import type { Incoming, Response } from '../../core/conversation/types.js';
import type { OutputChannel } from './output-channel.js';

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
}

/**
 * The conversation core as transports see it: one call per incoming message. It loads the person's state, decides,
 * sends the answer through `output` (once; see OutputChannel), stores the new state and returns the answer.
 */
export interface ConversationHandler {
  handle(userId: string, message: Incoming, meta?: MessageMeta, output?: OutputChannel): Promise<Response>;
  /** The person unsent a message: remove it from anything stored. */
  unsend(userId: string, messageId: string): Promise<void>;
  /** Forget everything stored about this person (unfollow, erase request). */
  forget(userId: string): Promise<void>;
}
