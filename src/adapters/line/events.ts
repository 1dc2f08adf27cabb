import type { webhook } from '@line/bot-sdk';
import type { Incoming } from '../../core/conversation/types.js';

/**
 * Maps one LINE webhook event onto what the bot does with it. Pure: no I/O.
 *
 * Rules:
 * - `mode: "standby"` → skip (another channel is in control and there is no reply token).
 * - One-to-one chats: text → text; sticker → unsupported sticker; image/video/audio/file/location → unsupported;
 *   other message types → unsupported other; postback → postback(data); follow → follow; unfollow → forget.
 * - Group and room chats: the bot answers only text messages addressed to it — ones that @mention the bot or start
 *   with 「コンシェルジュ」 (the address is removed from the text) — and postbacks from its own buttons. Everything
 *   else there (stickers, chatter, join/leave…) is skipped. The conversation key is the speaker's user ID (or the
 *   group/room ID when LINE omits it); replies and pushes go to the group/room.
 * - unsend → remove that message from what is stored (one-to-one chats and groups alike).
 * - join (the bot added to a group/room) → one message explaining how to address the bot there.
 * - Every other event type (leave, memberJoined, memberLeft, beacon, accountLink, …) → skip.
 * - Events carrying the console's old "Verify" dummy reply tokens (000…0, fff…f) → skip.
 */

export type EventRoute =
  | {
      kind: 'handle';
      /** Conversation key passed to the handler (a user ID, or a group/room ID when no user ID is known). */
      key: string;
      /** Where a push goes: the user for one-to-one chats, else the group/room. */
      chatId: string;
      /** One-to-one chat (the loading animation only works there). */
      userChat: boolean;
      replyToken?: string;
      incoming: Incoming;
      /** The message's id (message events), so an unsend can find it. */
      messageId?: string;
    }
  | { kind: 'forget'; key: string }
  | { kind: 'unsend'; key: string; messageId: string }
  | { kind: 'skip'; reason: string };

/** Words that address the bot in a group chat when placed at the start of a message. */
export const GROUP_CALL_PREFIX = 'コンシェルジュ';

export const DUMMY_REPLY_TOKENS: ReadonlySet<string> = new Set(['00000000000000000000000000000000', 'ffffffffffffffffffffffffffffffff']);

const UNSUPPORTED = new Set(['sticker', 'image', 'video', 'audio', 'file', 'location']);
type UnsupportedWhat = Extract<Incoming, { kind: 'unsupported' }>['what'];

export interface RouteOptions {
  /** The bot's own user ID (`destination` of the webhook body), used to recognise @mentions of the bot. */
  botUserId?: string;
}

interface Chat {
  key: string;
  chatId: string;
  userChat: boolean;
}

function chatOf(source: webhook.Source | undefined): Chat | undefined {
  if (!source) return undefined;
  if (source.type === 'user') return source.userId ? { key: source.userId, chatId: source.userId, userChat: true } : undefined;
  if (source.type === 'group') return source.groupId ? { key: source.userId ?? source.groupId, chatId: source.groupId, userChat: false } : undefined;
  if (source.type === 'room') return source.roomId ? { key: source.userId ?? source.roomId, chatId: source.roomId, userChat: false } : undefined;
  return undefined;
}

/**
 * In a group/room: the text with the bot's address removed, or undefined when the message is not addressed to the
 * bot. Addressed = an @mention of the bot (`isSelf`, or the mentionee is the bot's user ID) or the prefix
 * 「コンシェルジュ」.
 */
export function addressedText(message: webhook.TextMessageContent, botUserId?: string): string | undefined {
  const self = message.mention?.mentionees.find(
    (m): m is webhook.UserMentionee =>
      m.type === 'user' && ((m as webhook.UserMentionee).isSelf === true || (!!botUserId && (m as webhook.UserMentionee).userId === botUserId)),
  );
  let text: string | undefined;
  if (self) text = message.text.slice(0, self.index) + message.text.slice(self.index + self.length);
  else {
    const trimmed = message.text.trimStart();
    if (trimmed.startsWith(GROUP_CALL_PREFIX)) text = trimmed.slice(GROUP_CALL_PREFIX.length).replace(/^[\s、,:：]+/, '');
  }
  if (text === undefined) return undefined;
  text = text.trim();
  return text || message.text.trim();
}

export function routeEvent(event: webhook.Event, opts: RouteOptions = {}): EventRoute {
  if (event.mode === 'standby') return { kind: 'skip', reason: 'standby mode' };
  const chat = chatOf(event.source);

  if (event.type === 'unfollow') return chat?.userChat ? { kind: 'forget', key: chat.key } : { kind: 'skip', reason: 'unfollow without a user id' };
  if (event.type === 'unsend') {
    const messageId = (event as webhook.UnsendEvent).unsend?.messageId;
    return chat && typeof messageId === 'string' ? { kind: 'unsend', key: chat.key, messageId } : { kind: 'skip', reason: 'unsend without a message id' };
  }

  if (event.type !== 'message' && event.type !== 'postback' && event.type !== 'follow' && event.type !== 'join')
    return { kind: 'skip', reason: `event type ${String(event.type)} is not handled` };
  if (!chat) return { kind: 'skip', reason: 'no usable source' };
  const replyToken = event.replyToken;
  if (replyToken && DUMMY_REPLY_TOKENS.has(replyToken)) return { kind: 'skip', reason: 'dummy reply token (webhook verification)' };
  const messageId = event.type === 'message' && typeof event.message?.id === 'string' ? event.message.id : undefined;
  const handle = (incoming: Incoming): EventRoute => ({
    kind: 'handle',
    ...chat,
    ...(replyToken ? { replyToken } : {}),
    ...(messageId ? { messageId } : {}),
    incoming,
  });

  switch (event.type) {
    case 'follow':
      return chat.userChat ? handle({ kind: 'follow' }) : { kind: 'skip', reason: 'follow outside a one-to-one chat' };
    case 'join':
      // Said once, to the whole group: how to address the bot there. Keyed by the group, not a person.
      return chat.userChat
        ? { kind: 'skip', reason: 'join outside a group' }
        : { kind: 'handle', key: chat.chatId, chatId: chat.chatId, userChat: false, ...(replyToken ? { replyToken } : {}), incoming: { kind: 'join' } };
    case 'postback':
      return typeof event.postback?.data === 'string'
        ? handle({ kind: 'postback', data: event.postback.data })
        : { kind: 'skip', reason: 'postback without data' };
    case 'message': {
      const message = event.message;
      if (message?.type === 'text') {
        if (chat.userChat) return handle({ kind: 'text', text: message.text });
        const text = addressedText(message as webhook.TextMessageContent, opts.botUserId);
        return text === undefined ? { kind: 'skip', reason: 'group message not addressed to the bot' } : handle({ kind: 'text', text });
      }
      if (!chat.userChat) return { kind: 'skip', reason: `group ${String(message?.type)} message` };
      const what: UnsupportedWhat = UNSUPPORTED.has(message?.type) ? (message.type as UnsupportedWhat) : 'other';
      return handle({ kind: 'unsupported', what });
    }
  }
}
