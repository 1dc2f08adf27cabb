import type { Response } from '../../core/conversation/types.js';

/**
 * Where a turn's answer goes (Rasa's output channel): the one port by which the conversation service sends. The
 * service calls `send` exactly once per handled message — for a new turn as soon as the answer is decided, while
 * the conversation is still being stored, and for a resumed event with the answer stored with it — and `handle`
 * resolves when both the send and the writes are done. A transport supplies it; a caller without one (the CLI, the
 * evaluation) reads the answer `handle` returns instead.
 */
export interface OutputChannel {
  send(response: Response): Promise<void>;
}
