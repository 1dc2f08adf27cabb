import type { QuickReply, Reply } from '../../core/conversation/types.js';
import type { ParentChannel, StaffAlert } from '../../app/handoff/service.js';
import { REASON_LABELS } from '../../app/handoff/service.js';
import type { Handoff } from '../../app/handoff/types.js';
import type { LinePusher } from './push.js';
import { renderLine } from './render.js';

export class UndeliveredError extends Error {
  override name = 'UndeliveredError';
}

/**
 * Staff replies and notices reach the parent as LINE pushes (there is no reply token outside a webhook). Log lines
 * name the chat only by `pseudonym` (see logPseudonym).
 */
export class LineParentChannel implements ParentChannel {
  constructor(
    private readonly pusher: LinePusher,
    private readonly pseudonym: (chatId: string) => string,
  ) {}

  async send(chatId: string, replies: Reply[], quickReplies: QuickReply[] = []): Promise<void> {
    const { messages } = renderLine(replies, quickReplies);
    if (!messages.length) return;
    if (!(await this.pusher.push(chatId, messages, { user: this.pseudonym(chatId), via: 'handoff' })))
      throw new UndeliveredError('LINE did not accept the message');
  }
}

/**
 * A push to the staff's LINE group when someone is waiting. It names the reason and links to the console; it never
 * carries what the parent wrote (the group is outside the console's access control).
 */
export class LineStaffAlert implements StaffAlert {
  constructor(
    private readonly pusher: LinePusher,
    private readonly groupId: string,
    private readonly consoleUrl?: string,
  ) {}

  async notify(h: Handoff): Promise<void> {
    const head = h.urgent ? '【至急】緊急の可能性がある相談です' : '新しい引き継ぎがあります';
    const link = this.consoleUrl ? `\n${this.consoleUrl.replace(/\/$/, '')}/console/handoffs/${h.id}` : '';
    const text = `${head}\n理由: ${REASON_LABELS[h.reason]}${h.summary.topics.length ? `\n話題: ${h.summary.topics.join('、')}` : ''}${link}`;
    if (!(await this.pusher.push(this.groupId, [{ type: 'text', text }], { via: 'staff_alert', handoffId: h.id })))
      throw new UndeliveredError('staff alert not delivered');
  }
}
