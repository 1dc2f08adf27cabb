import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { encodePostback } from '../../../src/core/conversation/postback.js';
import { emptyState, type ConversationState } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

// The core's part of 「この情報はまちがっている」: the tap names the card and asks what is wrong; the next message is
// taken as the answer — unless it is an emergency, a request for a person or an erase, which are what they say.
let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const T0 = Date.parse('2026-12-07T03:00:00Z');
const tap = (data: string, state: ConversationState = emptyState(), now = T0) => core.concierge.respond({ kind: 'postback', data }, state, now);
const say = (text: string, state: ConversationState, now = T0 + 60_000) => core.concierge.respond({ kind: 'text', text }, state, now);
const WRONG = encodePostback({ a: 'wrong', i: 'sick-child-care', f: 'cost' });

describe('「この情報はまちがっている」 in the core', () => {
  it('the tap opens a report for the card and asks what is wrong; the next message is the detail, thanked for', () => {
    const opened = tap(WRONG);
    expect(opened.decision).toMatchObject({ reason: 'report_wrong', report: { intent: 'sick-child-care', facet: 'cost', step: 'opened' } });
    expect(opened.state.report).toEqual({ intent: 'sick-child-care', facet: 'cost', at: T0 });
    expect(opened.quickReplies.map((q) => q.label)).toEqual(['書かずに終える']);
    const detail = say('料金は2500円になっていました', opened.state);
    expect(detail.decision).toMatchObject({
      action: 'smalltalk',
      reason: 'report_detail',
      report: { intent: 'sick-child-care', facet: 'cost', step: 'detail' },
    });
    expect(detail.state.report).toBeUndefined();
    // Only one message: the one after it is a question again.
    expect(say('病児保育の料金は？', detail.state, T0 + 120_000).decision.action).toBe('answer');
  });

  it('an emergency, a request for a person or an erase after the tap is what it says', () => {
    const { state } = tap(WRONG);
    expect(say('子どもが息してない', state).decision.action).toBe('emergency');
    expect(say('担当者と話したい', state).decision.action).toBe('handoff');
    expect(say('私のデータを消して', state).decision.reason).toBe('erase_confirm');
  });

  it('the tap waits ten minutes, and 「書かずに終える」 or any other tap closes it', () => {
    const { state } = tap(WRONG);
    expect(say('病児保育の料金は？', state, T0 + 11 * 60_000).decision.action).toBe('answer');
    const done = tap(encodePostback({ a: 'wrong-done' }), state, T0 + 1000);
    expect(done.decision.reason).toBe('report_done');
    expect(done.decision.report).toBeUndefined();
    expect(done.state.report).toBeUndefined();
    expect(tap(encodePostback({ a: 'menu', t: 'azuketai' }), state, T0 + 1000).state.report).toBeUndefined();
  });

  it('a tap naming no entry opens nothing', () => {
    const turn = tap(encodePostback({ a: 'wrong', i: 'no-such-entry', f: 'cost' }));
    expect(turn.decision.report).toBeUndefined();
    expect(turn.state.report).toBeUndefined();
  });
});
