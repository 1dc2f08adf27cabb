import { describe, expect, it } from 'vitest';
import { describeChildren, extractAges, extractFacts, mergeFacts, parseAge } from '../../../src/core/conversation/facts.js';

const labels = (text: string) => extractAges(text).map((a) => a.label);

describe('extractAges reads a child’s age however it is written', () => {
  it.each([
    ['２歳の子がいます', ['2歳']],
    ['2才の娘', ['2歳']],
    ['三歳の息子です', ['3歳']],
    ['うちの子1歳半なんですけど', ['1歳半']],
    ['1歳2か月になりました', ['1歳2か月']],
    ['生後３か月の赤ちゃん', ['生後3か月']],
    ['生後2ヶ月', ['生後2か月']],
    ['生後10日です', ['生後10日']],
    ['4ヶ月の娘', ['4か月']],
    ['十か月の赤ちゃん', ['10か月']],
    ['小３の息子', ['小3']],
    ['小学3年生です', ['小3']],
    ['小学校6年', ['小6']],
    ['中学2年生です', ['中2']],
    ['中1の娘', ['中1']],
    ['高1の息子', ['高1']],
    ['小学生の子がいます', ['小学生']],
    ['中学生になった', ['中学生']],
    ['年少さん', ['年少']],
    ['年中さんです', ['年中']],
    ['年長の娘', ['年長']],
    ['妊娠14週です', ['妊娠14週']],
    ['妊娠５か月', ['妊娠5か月']],
    ['いま妊娠中です', ['妊娠中']],
    ['来月生まれる予定', ['妊娠中']],
    ['もうすぐ産まれます', ['妊娠中']],
    ['生まれたばかりの子', ['新生児']],
    ['就学前の子', ['就学前']],
    ['2歳と0歳の兄弟', ['2歳', '0歳']],
    ['上が小1で下が3歳', ['小1', '3歳']],
  ])('%s → %j', (text, expected) => {
    expect(labels(text)).toEqual(expected);
  });

  it.each([['3ヶ月後に復職します'], ['6か月に1回通っています'], ['1歳半健診の日程'], ['年中無休のお店'], ['3歳以上は無料？'], ['広島から来ました']])(
    'does not take a duration, a check-up name or a rule for an age: %s',
    (text) => {
      expect(labels(text).filter((l) => l !== '1歳半')).toEqual([]);
    },
  );

  it('spans months, with school years starting in April and pregnancy before birth', () => {
    expect(parseAge('2歳')).toMatchObject({ min: 24, max: 35 });
    expect(parseAge('小1')).toMatchObject({ min: 72, max: 95 });
    expect(parseAge('中3')).toMatchObject({ min: 168, max: 191 });
    expect(parseAge('妊娠中')!.max).toBeLessThan(0);
  });
});

describe('extractFacts', () => {
  it('reads working parents, single parenthood, a sick child and development worries', () => {
    expect(extractFacts('2歳と0歳で共働きです').conditions).toEqual(['working']);
    expect(extractFacts('パートで週3日働いています').conditions).toEqual(['working']);
    expect(extractFacts('離婚して子ども2人をひとりで育てています').conditions).toEqual(['single_parent']);
    expect(extractFacts('子どもが熱を出して').conditions).toEqual(['sick_child']);
    expect(extractFacts('ことばが遅い気がして').conditions).toEqual(['development']);
  });

  it('knows the islands of Kasaoka, and is not fooled by 広島', () => {
    expect(extractFacts('北木島に住んどります')).toMatchObject({ area: '北木島', conditions: ['island'] });
    expect(extractFacts('島に住んでて市役所まで行けん').area).toBe('島しょ部');
    expect(extractFacts('広島から引っ越してきました').area).toBeUndefined();
  });

  it('keeps earlier facts when a later message does not repeat them, and adds another child', () => {
    const first = extractFacts('白石島で2歳の子を育てています');
    expect(mergeFacts(first, extractFacts('料金は？'))).toEqual(first);
    expect(describeChildren(mergeFacts(first, extractFacts('上の子は小1です'), { anotherChild: true }))).toBe('2歳・小1');
    expect(describeChildren(mergeFacts(first, extractFacts('3歳になりました')))).toBe('3歳');
  });
});

describe('family facts stay small, whatever is repeated', () => {
  it('keeps each age once and at most a handful of children, over a hundred long repeating messages', () => {
    const repeated = '上の子は1歳 '.repeat(300);
    let facts = mergeFacts(undefined, extractFacts('2歳の子がいます'));
    for (let i = 0; i < 100; i++) facts = mergeFacts(facts, extractFacts(repeated), { anotherChild: true });
    expect(facts.children!.length).toBeLessThanOrEqual(8);
    expect(describeChildren(facts)).toBe('2歳・1歳');
    expect(JSON.stringify(facts).length).toBeLessThan(1000);
  });
});
