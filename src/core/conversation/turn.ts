import type { ConversationState, Decision, QuickReply, Reply } from './types.js';

/** What the core makes of one message: the decision, the replies with their quick replies, and the next state. */
export interface Turn {
  decision: Decision;
  replies: Reply[];
  quickReplies: QuickReply[];
  state: ConversationState;
  /** The parent's language changed in this turn (to this code): the transport shows the menu of that language. */
  switchedTo?: string;
}
