import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { emptyState, type ConversationState, type Incoming, type Reply } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});

/** Plays messages ('pb:' = a tapped postback) and returns each turn. */
function play(...inputs: string[]) {
  let state: ConversationState = emptyState();
  let now = Date.parse('2026-11-30T10:00:00+09:00');
  return inputs.map((input) => {
    now += 20_000;
    const message: Incoming = input.startsWith('pb:') ? { kind: 'postback', data: input.slice(3) } : { kind: 'text', text: input };
    const turn = core.concierge.respond(message, state, now);
    state = turn.state;
    return turn;
  });
}
const firstText = (replies: Reply[]) => replies.find((r) => r.type === 'text')?.text ?? '';
const recommendations = (replies: Reply[]) => replies.find((r): r is Extract<Reply, { type: 'recommendations' }> => r.type === 'recommendations');

describe('the guided consultation', () => {
  it('starts from a phrase and asks at most three questions, then shows ranked services with reasons', () => {
    const turns = play('自分に合うサービスを知りたい', 'pb:a=guide&s=who&v=0-2', 'pb:a=guide&s=need&v=azuketai', 'pb:a=guide&s=special&v=working');
    expect(turns.map((t) => t.decision.reason)).toEqual(['guide:start', 'guide:who', 'guide:need', 'guide:results']);
    expect(turns.every((t) => t.decision.intent === 'concierge')).toBe(true);
    expect(firstText(turns[0]!.replies)).toContain('どなたのことですか');
    expect(turns[0]!.quickReplies.map((q) => q.label)).toEqual(['妊娠中', '0〜2歳', '3歳〜就学前', '小学生', '中学生以上', '担当者と話す']);
    expect(firstText(turns[1]!.replies)).toContain('どんなことでお困りですか');
    expect(firstText(turns[2]!.replies)).toContain('当てはまることはありますか');
    const rec = recommendations(turns[3]!.replies)!;
    expect(rec.items[0]).toMatchObject({ intent: 'nursery-admission', reason: '0〜2歳で、保護者が就労中のため対象です' });
    expect(rec.items.length).toBeLessThanOrEqual(5);
    expect(turns[3]!.state.guide).toBeUndefined();
  });

  it('skips what the family already said', () => {
    const [start, need] = play('うちに合う子育てサービスを教えてほしい。2歳と0歳で共働きです', '預けたい');
    expect(start!.decision).toMatchObject({ action: 'answer', intent: 'concierge' });
    expect(firstText(start!.replies)).toContain('どんなことでお困りですか');
    expect(recommendations(need!.replies)!.items.map((i) => i.intent)).toContain('sick-child-care');
  });

  it('accepts typed answers: an age in any form, a need in words, 「特にない」', () => {
    const turns = play('おすすめのサービスを教えて', '年中の娘です', 'お金のことで', '特にないです');
    expect(turns.map((t) => t.decision.reason)).toEqual(['guide:start', 'guide:who', 'guide:need', 'guide:results']);
    expect(recommendations(turns[3]!.replies)!.items.map((i) => i.intent)).toContain('childcare-fee');
  });

  it('steps aside when the parent asks something else', () => {
    const [, other] = play('自分に合うサービスを知りたい', '病児保育の料金は？');
    expect(other!.decision).toMatchObject({ action: 'answer', intent: 'sick-child-care', facet: 'cost' });
    expect(other!.state.guide).toBeUndefined();
  });

  it('starts from the rich-menu postback too', () => {
    expect(play('pb:a=guide&s=start')[0]!.decision).toMatchObject({ action: 'answer', intent: 'concierge', reason: 'guide:start' });
  });
});

describe('eligibility in answers', () => {
  it('says gently when the family’s child is outside a service, and offers what fits', () => {
    const [, answer] = play('中1の息子がいて共働きです', '放課後児童クラブについて教えて');
    const card = answer!.replies[0] as Extract<Reply, { type: 'answer' }>;
    expect(card.notice).toEqual({ tone: 'not_eligible', text: expect.stringContaining('中1のお子さんは対象になりません') });
    expect(answer!.quickReplies.some((q) => q.label === '担当者と話す')).toBe(true);
  });

  it('says why it fits, or what to confirm', () => {
    const [, fits] = play('2歳の子がいて共働き', '保育園に入りたい');
    expect((fits!.replies[0] as Extract<Reply, { type: 'answer' }>).notice?.tone).toBe('fits');
    const [, check] = play('2歳の子がいます', '保育園に入りたい');
    expect((check!.replies[0] as Extract<Reply, { type: 'answer' }>).notice).toMatchObject({
      tone: 'check',
      text: expect.stringContaining('保護者の就労など'),
    });
  });

  it('adds nothing when the family has said nothing about itself', () => {
    const [answer] = play('放課後児童クラブについて教えて');
    expect((answer!.replies[0] as Extract<Reply, { type: 'answer' }>).notice).toBeUndefined();
  });
});
