import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import type { EmergencyKind } from '../../../src/core/knowledge/schema.js';
import { getCore } from '../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const NOW = Date.parse('2026-06-01T03:00:00Z');
const decide = (text: string) => core.concierge.respond({ kind: 'text', text }, emptyState(), NOW).decision;

// Danger told in the parent's own language reaches the emergency card of the right kind, before anything else.
const CASES: [string, EmergencyKind][] = [
  // not breathing
  ['my little boy stopped breathing in his sleep', 'medical'],
  ['Bé nhà em ngừng thở rồi', 'medical'],
  ['be nha em khong tho nua', 'medical'],
  ['女儿突然不呼吸了', 'medical'],
  // convulsions
  ['our toddler is convulsing and wont answer', 'medical'],
  ['Con gái em đang co giật', 'medical'],
  ['儿子一直在抽搐', 'medical'],
  // unconscious
  ['baby went limp and is unresponsive', 'medical'],
  ['Con trai em bất tỉnh rồi', 'medical'],
  ['孩子昏迷了', 'medical'],
  // poisoning, something swallowed
  ['he swallowed some of my pills', 'medical'],
  ['Con em uống phải thuốc tẩy javel', 'medical'],
  ['宝宝吞了一块磁铁', 'medical'],
  ['I think she was poisoned by the cleaner under the sink', 'medical'],
  // high fever in a newborn
  ['my newborn has a temperature of 38.5', 'medical'],
  ['Em bé sơ sinh sốt 38 độ', 'medical'],
  ['新生儿发烧38度5', 'medical'],
  // violence in progress, a parent about to harm
  ['my boyfriend is beating my son right now', 'violence'],
  ['Chồng đang đánh em, cầm dao', 'violence'],
  ['丈夫拿着刀在家里', 'violence'],
  ['I am scared I will hurt my child tonight', 'harm'],
  ['Em sợ em làm hại con mất', 'harm'],
  ['我快控制不住自己了，想打孩子', 'harm'],
  // a parent at the edge
  ['I want to end my life', 'suicide'],
  ['Em chỉ muốn chết thôi', 'suicide'],
  ['带着孩子一起死算了', 'suicide'],
];

describe('emergencies written in English, Tiếng Việt and 中文', () => {
  it.each(CASES)('%s → %s', (text, kind) => {
    const d = decide(text);
    expect(d.action).toBe('emergency');
    expect(d.emergencyKind).toBe(kind);
  });

  it('reads romaji danger on its kana, as Japanese', () => {
    expect(decide('umarete 10 nichime no akachan, netsu ga 38 do aru').action).toBe('emergency');
    expect(decide('kodomo ga keiren shite iru').action).toBe('emergency');
    expect(decide('akachan ga iki wo shitenai').action).toBe('emergency');
  });

  it('does not raise an emergency on a calm question about prevention or a service', () => {
    for (const text of [
      'how do we prevent choking on food for babies?',
      'Học phí nhà trẻ bao nhiêu?',
      'hoc phi nha tre bao nhieu',
      'is there a first aid class for parents',
    ])
      expect(decide(text).action).not.toBe('emergency');
  });
});

describe('a person wanted, in the parent’s language', () => {
  it.each(['could somebody from the office call me back', 'Cho em gặp nhân viên được không', 'can i have a human please', '我要跟真人聊'])(
    '%s → handoff',
    (text) => {
      expect(decide(text).action).toBe('handoff');
    },
  );
});
