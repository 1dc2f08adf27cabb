import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { ConversationService } from '../../../src/app/conversation/service.js';
import type { QuickReply, Reply } from '../../../src/core/conversation/types.js';
import { MemoryHandoffEvents, MemoryHandoffStore, MemoryTranscriptStore } from '../../../src/app/handoff/memory-handoff-store.js';
import { OfficeHours } from '../../../src/core/calendar/office-hours.js';
import { HandoffService, type ParentChannel, type StaffAlert } from '../../../src/app/handoff/service.js';
import type { Handoff, HandoffEvent } from '../../../src/app/handoff/types.js';
import { createLogger } from '../../../src/app/log.js';
import { MemoryStateStore } from '../../../src/app/conversation/memory-state-store.js';
import { getCore } from '../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});

class RecordingParent implements ParentChannel {
  readonly sent: { chatId: string; replies: Reply[]; quickReplies?: QuickReply[] }[] = [];
  async send(chatId: string, replies: Reply[], quickReplies?: QuickReply[]) {
    this.sent.push({ chatId, replies, quickReplies });
  }
  texts = () =>
    this.sent.flatMap((s) =>
      s.replies.map((r) => (r.type === 'answer' ? `[${r.title}]` : r.type === 'recommendations' ? '[おすすめ]' : r.type === 'facilities' ? '[施設]' : r.text)),
    );
}

const STAFF = { id: 'sato', name: '佐藤' };
// A Monday morning in Japan: the office is open.
const OPEN_AT = Date.parse('2026-11-30T10:00:00+09:00');

function world(start = OPEN_AT, opts: { broken?: (userId: string) => boolean; logger?: ReturnType<typeof createLogger>; stateDown?: () => boolean } = {}) {
  let clock = start;
  const now = () => clock;
  const parent = new RecordingParent();
  const alerts: Handoff[] = [];
  const staffAlert: StaffAlert = { notify: async (h) => void alerts.push(h) };
  const events = new MemoryHandoffEvents();
  const published: HandoffEvent[] = [];
  events.subscribe((e) => published.push(e));
  const transcript = new MemoryTranscriptStore({ retentionMs: 86_400_000, now });
  const store = new MemoryHandoffStore({ retentionMs: 86_400_000, now });
  // A store that refuses some people's records: Redis away for them, or a record that can never be written.
  const origCreate = store.create.bind(store);
  store.create = async (h) => {
    if (opts.broken?.(h.userId)) throw new Error('cannot store');
    return origCreate(h);
  };
  const handoff = new HandoffService({
    store,
    transcript,
    events,
    parent,
    staffAlert,
    hours: new OfficeHours(),
    idleMs: 30 * 60_000,
    answer: (intent, facet) => core.concierge.answerCard(intent, facet, now()),
    logger: createLogger({ level: 'silent' }),
    now,
  });
  const states = new MemoryStateStore({ ttlSeconds: 3600 });
  // Redis away for deleting conversation state (an erase), when the test says so.
  const origDelete = states.delete.bind(states);
  states.delete = async (userId) => {
    if (opts.stateDown?.()) throw new Error('Stream isn’t writeable');
    return origDelete(userId);
  };
  const conversations = new ConversationService({
    concierge: () => core.concierge,
    store: states,
    handoff,
    now,
    handoffRetryMs: 60_000,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const say = (text: string, user = 'U1', messageId?: string) => {
    clock += 10_000;
    return conversations.handle(user, { kind: 'text', text }, messageId ? { messageId } : {});
  };
  const tap = (data: string, user = 'U1') => {
    clock += 10_000;
    return conversations.handle(user, { kind: 'postback', data });
  };
  return { handoff, conversations, parent, alerts, published, transcript, say, tap, elapse: (ms: number) => (clock += ms) };
}

const texts = (replies: Reply[]) => replies.map((r) => (r.type === 'text' ? r.text : r.type));

describe('handing a conversation to the concierge staff', () => {
  it('opens a waiting handoff when asked, says what happens next and offers to cancel', async () => {
    const w = world();
    await w.say('2歳の子の病児保育について教えて');
    const turn = await w.say('担当者と話したいです');
    expect(turn.decision).toMatchObject({ action: 'handoff', reason: 'requested' });
    expect(texts(turn.replies).join('\n')).toContain('受付時間内');
    expect(turn.quickReplies.map((q) => q.label)).toEqual(['取り消す']);
    const [open] = await w.handoff.listOpen();
    expect(open).toMatchObject({ status: 'waiting', reason: 'requested', urgent: false, summary: { topics: ['sick-child-care'], childAge: '2歳' } });
    expect(w.alerts).toHaveLength(1);
    expect(w.published.map((e) => e.type)).toEqual(['opened']);
  });

  it('keeps the transcript in order: the parent’s words, the handoff’s note, then what the bot said', async () => {
    const w = world();
    const turn = await w.say('担当者と話したいです');
    const entries = await w.transcript.list('U1');
    expect(entries.map((e) => e.from)).toEqual(['parent', 'system', ...turn.replies.map(() => 'bot')]);
    expect(entries[0]!.text).toBe('担当者と話したいです');
  });

  it('outside office hours names the next opening', async () => {
    const w = world(Date.parse('2026-11-28T20:00:00+09:00'));
    const turn = await w.say('職員さんと直接話したい');
    expect(texts(turn.replies).join('\n')).toMatch(/11月30日\(月\) 8:30 以降/);
  });

  it('a handoff that can never be stored does not hold up the others, is given up in the end, and is logged', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    let redisAway = true;
    const w = world(OPEN_AT, { broken: (u) => u === 'Ubad' || redisAway, logger });
    await w.say('担当者と話したい', 'Ubad');
    await w.say('担当者と話したい', 'Ugood');
    redisAway = false;
    // The first in the queue still fails; the second is stored anyway.
    expect(await w.conversations.flushPendingHandoffs()).toBe(1);
    expect(await w.handoff.openFor('Ugood')).toMatchObject({ status: 'waiting' });
    let left = 1;
    for (let i = 0; i < 400 && left; i++) left = await w.conversations.flushPendingHandoffs();
    expect(left).toBe(0);
    expect(lines.some((l) => l.includes('handoff dropped: it could not be stored'))).toBe(true);
    expect(lines.join()).not.toContain('Ubad');
  });

  it('an erase confirmed while Redis is away is done when it is back, and the parent is told both times', async () => {
    let down = true;
    const w = world(OPEN_AT, { stateDown: () => down });
    await w.say('担当者と話したい');
    const asked = await w.tap('a=erase');
    expect(texts(asked.replies)[0]).toContain('ただいま記録を削除できませんでした');
    expect(await w.handoff.listOpen()).toHaveLength(1);
    down = false;
    expect(await w.conversations.flushPendingErases()).toBe(0);
    expect(await w.handoff.listOpen()).toEqual([]);
    expect(await w.transcript.list('U1')).toEqual([]);
    expect(w.parent.texts().at(-1)).toContain('記録をすべて削除しました');
  });

  it('at shutdown, tries the queued handoffs once more and logs how many could not be kept', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    const w = world(OPEN_AT, { broken: () => true, logger });
    await w.say('担当者と話したい', 'U1');
    await w.say('子どもが息してない', 'U2');
    await w.conversations.close();
    const lost = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'handoffs promised to parents could not be stored before shutdown');
    expect(lost).toMatchObject({ lost: 2, urgent: 1 });
  });

  it('while waiting, keeps answering ordinary questions and says once per stretch that staff have the messages', async () => {
    const w = world();
    await w.say('担当者と話したい');
    const first = await w.say('保育園の料金はいくらですか');
    expect(first.decision).toMatchObject({ action: 'answer', intent: 'childcare-fee' });
    expect(texts(first.replies).at(-1)).toContain('担当者へのおつなぎは続いています');
    const second = await w.say('病児保育はありますか');
    expect(second.decision.action).toBe('answer');
    expect(texts(second.replies).join()).not.toContain('担当者へのおつなぎは続いています');
    // What the bot cannot answer is only acknowledged, once: never silence without a word.
    const unclear = await w.say('ふむふむ');
    expect(unclear.replies).toEqual([]);
    const [open] = await w.handoff.listOpen();
    const t = await w.handoff.transcript(open!.id);
    expect(t!.entries.filter((e) => e.from === 'parent').map((e) => e.text)).toEqual([
      '担当者と話したい',
      '保育園の料金はいくらですか',
      '病児保育はありますか',
      'ふむふむ',
    ]);
  });

  it('once claimed, stays quiet, but acknowledges a message after staff have been quiet a while', async () => {
    const w = world();
    await w.say('担当者と話したい');
    const [open] = await w.handoff.listOpen();
    await w.handoff.claim(open!.id, STAFF);
    await w.handoff.reply(open!.id, STAFF, 'お話をうかがいます');
    const quiet = await w.say('保育園の料金はいくらですか');
    expect(quiet).toMatchObject({ decision: { action: 'handoff', reason: 'with_staff' }, replies: [] });
    w.elapse(11 * 60_000);
    const waiting = await w.say('まだですか？');
    expect(texts(waiting.replies)).toEqual(['担当者が確認しています。お返事まで、もう少しお待ちください。']);
    expect((await w.say('よろしくお願いします')).replies).toEqual([]);
  });

  it.each(['ボットに戻して', 'やっぱりいいです', '自分で調べます', 'キャンセル'])('「%s」 while waiting takes the request back', async (text) => {
    const w = world();
    await w.say('担当者と話したい');
    const back = await w.say(text);
    expect(back.decision).toMatchObject({ action: 'smalltalk', reason: 'handoff_cancelled' });
    expect(await w.handoff.listOpen()).toEqual([]);
  });

  it('an emergency opens an urgent handoff, and the next ordinary question is still answered', async () => {
    const w = world();
    const danger = await w.say('子どもが息してない');
    expect(danger.decision.action).toBe('emergency');
    expect((await w.handoff.listOpen())[0]).toMatchObject({ urgent: true });
    expect((await w.say('小児科の夜間の相談窓口の電話番号は？')).decision).toMatchObject({ action: 'answer', intent: 'pediatric-emergency' });
  });

  it('stores at most LINE’s 5,000 characters of one message in the transcript', async () => {
    const w = world();
    await w.say('担当者と話したい');
    await w.say('あ'.repeat(990_000));
    const [open] = await w.handoff.listOpen();
    const { entries } = (await w.handoff.transcript(open!.id))!;
    const last = entries.filter((e) => e.from === 'parent').at(-1)!;
    expect(last.text.length).toBeLessThan(5100);
    expect(last.text).toMatch(/^あ{5000}…（長すぎるため以下を省略しました）$/);
  });

  it('lets the parent cancel while waiting, and the bot answers again', async () => {
    const w = world();
    await w.say('担当者と話したい');
    const cancelled = await w.tap('a=cancel');
    expect(texts(cancelled.replies)[0]).toContain('取り消しました');
    expect(await w.handoff.listOpen()).toEqual([]);
    expect((await w.say('病児保育について教えて')).decision).toMatchObject({ action: 'answer', intent: 'sick-child-care' });
  });

  it('claim, reply, answer card and close reach the parent by push; then the bot is back', async () => {
    const w = world();
    await w.say('担当者と話したい');
    const [open] = await w.handoff.listOpen();
    expect(await w.handoff.claim(open!.id, STAFF)).toMatchObject({ status: 'active', claimedBy: 'sato' });
    expect(await w.handoff.claim(open!.id, { id: 'suzuki', name: '鈴木' })).toBeUndefined();
    expect(await w.handoff.reply(open!.id, STAFF, '明日の午前中なら空きがあります')).toBe(true);
    expect(await w.handoff.sendAnswer(open!.id, STAFF, 'sick-child-care', 'cost')).toBe(true);
    await w.handoff.note(open!.id, STAFF, '兄弟2人、来週から就労');
    await w.handoff.close(open!.id, STAFF);
    expect(w.parent.texts()).toEqual([
      '子育てコンシェルジュの佐藤です。ここからは担当者がお返事します。',
      '明日の午前中なら空きがあります',
      expect.stringContaining('病児'),
      expect.stringContaining('終了しました'),
    ]);
    expect(w.parent.sent.every((s) => s.chatId === 'U1')).toBe(true);
    const t = await w.handoff.transcript(open!.id);
    expect(t!.entries.find((e) => e.from === 'note')).toMatchObject({ text: '兄弟2人、来週から就労', staff: '佐藤' });
    expect((await w.say('病児保育について教えて')).decision.action).toBe('answer');
  });

  it('returns a quiet conversation with staff to the bot, with notice', async () => {
    const w = world();
    await w.say('担当者と話したい');
    const [open] = await w.handoff.listOpen();
    await w.handoff.claim(open!.id, STAFF);
    w.elapse(29 * 60_000);
    expect(await w.handoff.sweepIdle()).toBe(0);
    w.elapse(2 * 60_000);
    expect(await w.handoff.sweepIdle()).toBe(1);
    expect(w.parent.texts().at(-1)).toContain('しばらくやりとりがなかったため');
    expect((await w.handoff.get(open!.id))?.closeReason).toBe('idle');
  });

  it('hands over topics that need judgment with that reason', async () => {
    const w = world();
    const turn = await w.say('離婚したら親権はどうなりますか');
    expect(turn.decision).toMatchObject({ action: 'handoff', reason: 'judgment' });
    expect((await w.handoff.listOpen())[0]?.reason).toBe('judgment');
  });

  it('records an accepted offer after repeated misses as such', async () => {
    const w = world();
    await w.say('あいうえお');
    const second = await w.say('かきくけこ');
    expect(second.quickReplies.map((q) => q.label)).toContain('担当者と話す');
    await w.tap('a=handoff');
    expect((await w.handoff.listOpen())[0]?.reason).toBe('repeated_misses');
  });

  it('in an emergency gives the numbers first and alerts staff as urgent — also while handed over', async () => {
    const w = world();
    const turn = await w.say('子どもが息をしていない');
    expect(turn.replies[0]?.type).toBe('emergency');
    expect((await w.handoff.listOpen())[0]).toMatchObject({ reason: 'emergency', urgent: true });

    const v = world();
    await v.say('担当者と話したい');
    const during = await v.say('子どもがけいれんしてる');
    expect(during.replies[0]?.type).toBe('emergency');
    expect((await v.handoff.listOpen())[0]?.urgent).toBe(true);
    expect(v.alerts.map((h) => h.urgent)).toEqual([false, true]);
  });

  it('removes an unsent message from the transcript, and forgets everything on unfollow', async () => {
    const w = world();
    await w.say('担当者と話したい');
    await w.say('電話番号は090-1234-5678です', 'U1', 'm-42');
    const [open] = await w.handoff.listOpen();
    await w.conversations.unsend('U1', 'm-42');
    expect((await w.handoff.transcript(open!.id))!.entries.some((e) => e.text.includes('090'))).toBe(false);
    await w.conversations.forget('U1');
    expect(await w.handoff.listOpen()).toEqual([]);
    expect(await w.transcript.list('U1')).toEqual([]);
    // Not kept under 最近終了した相談 either: the record itself (summary, island, ages, topics) is gone.
    expect(await w.handoff.listClosed(50)).toEqual([]);
    expect(await w.handoff.get(open!.id)).toBeUndefined();
  });
});

describe('sending the answer early', () => {
  it('hands the answer to the transport while the conversation is still being stored, and finishes only when both are done', async () => {
    const order: string[] = [];
    let release!: () => void;
    const slowWrite = new Promise<void>((r) => (release = r));
    const store = new MemoryStateStore({ ttlSeconds: 3600 });
    const set = store.set.bind(store);
    store.set = async (userId, state) => {
      await slowWrite;
      order.push('state stored');
      return set(userId, state);
    };
    const conversations = new ConversationService({ concierge: () => core.concierge, store });
    let finished = false;
    const handled = conversations
      .handle('U-early', { kind: 'text', text: '病児保育はありますか' }, {}, { send: async (r) => void order.push(`delivered ${r.decision.action}`) })
      .then((r) => {
        finished = true;
        return r;
      });
    await expect.poll(() => order).toEqual(['delivered answer']);
    expect(finished).toBe(false);
    release();
    const response = await handled;
    expect(order).toEqual(['delivered answer', 'state stored']);
    expect(response.decision.action).toBe('answer');
    expect((await store.get('U-early'))?.topic?.intent).toBe(response.decision.intent);
  });
});

describe('when sending the answer fails', () => {
  it('still finishes storing the conversation before it reports the failure', async () => {
    let release!: () => void;
    const slowWrite = new Promise<void>((r) => (release = r));
    const store = new MemoryStateStore({ ttlSeconds: 3600 });
    const set = store.set.bind(store);
    let stored = false;
    store.set = async (userId, state) => {
      await slowWrite;
      await set(userId, state);
      stored = true;
    };
    const conversations = new ConversationService({ concierge: () => core.concierge, store });
    let failed = false;
    const handled = conversations.handle(
      'U-fail',
      { kind: 'text', text: '病児保育はありますか' },
      {},
      {
        send: async () => {
          failed = true;
          throw new Error('LINE is down');
        },
      },
    );
    let settled = false;
    void handled.catch(() => (settled = true));
    // Sending has failed; once the promises that failure settles have run, handle is still waiting for the write.
    await expect.poll(() => failed).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    release();
    await expect(handled).rejects.toThrow('LINE is down');
    expect(stored).toBe(true);
  });
});
