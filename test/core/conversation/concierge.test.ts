import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { emptyState, type ConversationState, type Incoming } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';
import { Concierge } from '../../../src/core/conversation/concierge.js';
import { DEFAULT_THRESHOLDS } from '../../../src/core/conversation/policy.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const T0 = Date.parse('2026-05-01T03:00:00Z');
const say = (text: string, state: ConversationState = emptyState(), now = T0) => core.concierge.respond({ kind: 'text', text }, state, now);
/** Plays a conversation and returns each turn's decision. */
function conversation(...texts: string[]) {
  let state = emptyState();
  let now = T0;
  return texts.map((text) => {
    now += 30_000;
    const turn = say(text, state, now);
    state = turn.state;
    return turn.decision;
  });
}

describe('Concierge: emergencies come first', () => {
  it.each([
    '子どもが息してない',
    '1歳がけいれんして呼んでも反応ない',
    '電池を飲み込んだかも',
    'この子と一緒に死にたい',
    '1歳の子が熱湯をかぶってやけどした',
    '子どもが洗剤を飲んでしまった',
    '娘が帰ってこない、連絡もつかない',
    '夫に殴られていて子どもも危ない',
    '息子が車にはねられた',
    '子どもが高いところから落ちて動かない',
  ])('「%s」 gets emergency guidance', (text) => {
    const turn = say(text);
    expect(turn.decision.action).toBe('emergency');
    expect(turn.replies[0]?.type).toBe('emergency');
  });
  it('puts the numbers before anything else', () => {
    const turn = say('お風呂で沈んでてぐったりしてる');
    const first = turn.replies[0];
    expect(first?.type === 'emergency' && first.phones[0]?.tel).toBe('119');
  });
  it('wins over a request for a human in the same message', () => {
    expect(say('担当者と話したい、子どもが息をしてない').decision.action).toBe('emergency');
  });
  it('does not treat an ordinary fever, a meal or worry about oneself as an emergency', () => {
    for (const text of [
      '夜中に38度の熱が出た、休日に開いてる病院は？',
      '子どもがご飯を食べてくれない',
      '子どもを叩いてしまいそうで怖い',
      '夜中に子どもが吐いた、どこに相談したらいい',
    ])
      expect(say(text).decision.action, text).not.toBe('emergency');
  });
});

describe('Concierge: hands over to a person', () => {
  it('when asked', () => expect(say('人間の担当者と話したいです')).toMatchObject({ decision: { action: 'handoff', reason: 'requested' } }));
  it.each(['オペレーターにつないでください', 'ボットじゃ話にならん、誰か人おらん？', '自動応答じゃなくて人間がいい', 'スタッフさんに相談したい'])(
    'when asked in other words: %s',
    (text) => expect(say(text).decision.action).toBe('handoff'),
  );
  it('when the topic needs individual judgment', () =>
    expect(say('親権はどちらが取れますか')).toMatchObject({ decision: { action: 'handoff', reason: 'judgment' } }));
  it.each(['うちの収入だと児童手当がいくらになるか計算してもらえますか', '源泉徴収票を送るので、保育料が下がるか判定してください'])(
    'when asked for an individual judgement or calculation: 「%s」',
    (text) => expect(say(text)).toMatchObject({ decision: { action: 'handoff', reason: 'judgment' } }),
  );
  it('but a question about whether to see a doctor is not one: that is the night line’s job', () =>
    expect(say('熱が38度あるけど、病院に行くべきか判断してもらえるところはある？').decision).toMatchObject({
      action: 'answer',
      intent: 'pediatric-emergency',
    }));
  it('but not when someone only asks where to consult', () => expect(say('保健師さんに相談したいんですが、どこに行けば').decision.action).toBe('answer'));
  it('offers a person after two turns it could not help with', () => {
    let state = emptyState();
    state = say('asdfghjkl', state).state;
    const second = say('qwertyuiop zxcv', state);
    expect(second.decision.action).toBe('fallback');
    expect(second.quickReplies[0]).toMatchObject({ label: '担当者と話す' });
  });
});

describe('Concierge: answers with the asked facet', () => {
  it.each([
    ['病児保育の料金はいくら？', 'sick-child-care', 'cost'],
    ['ファミサポに登録したい', 'family-support-center', 'how'],
    ['児童手当の問い合わせ先の電話番号', 'child-allowance', 'contact'],
    ['学童は何年生まで入れますか', 'after-school-club', 'who'],
    ['子育てひろばは何時から開いてる？', 'support-hub', 'where'],
  ])('「%s」 → %s#%s', (text, intent, facet) => {
    expect(say(text).decision).toMatchObject({ action: 'answer', intent, facet });
  });
  it.each([
    // 〜代 as a charge
    ['保育園のおやつ代は？', 'cost'],
    // a condition (〜ても) on the one who would use it is an eligibility question, even with 申し込め in it…
    ['保育園、仕事を辞めても申し込めますか', 'who'],
    // …but not 〜てもらう, nor どうしても: where to get the application form is how to apply (so the corpus writers label it)
    ['就労証明書は会社に書いてもらうんですが、用紙はどこでもらえますか', 'how'],
    // which line to call; a refund is a procedure
    ['夜に熱が出たら、#8000と救急病院のどちらに電話すればいい？', 'contact'],
    ['県外の病院で払った子どもの医療費、払い戻しってできる？', 'how'],
    // question words in kana
    ['びょうじほいく よやく ひつよう？', 'how'],
    ['ようちえん じこふたん ある？', 'cost'],
    // who may use it: one's status or where one lives, then whether one can; who must be the one to do it; another
    // child, or a condition, and whether that is all right
    ['外国籍ですが、児童手当はもらえますか', 'who'],
    ['倉敷に住んでるけど、笠岡の病児保育は使えますか', 'who'],
    ['母子手帳って本人が行かないとだめですか', 'who'],
    ['一時預かり、双子でも大丈夫？', 'who'],
    ['りょうしんがっきゅう にほんご できない だいじょうぶ？', 'who'],
    // what to do, at the end of the question
    ['ようちえん にゅうえん じゅんび なにする', 'how'],
    // a discount is a cost
    ['延長保育は兄弟で割引ありますか', 'cost'],
    // whether there is one around a place
    ['Is there a sick child care room around town?', 'where'],
    // cue words of two aspects, and the facet model sure which is asked (by order 対象 would say who)
    ['病児保育って料金かかりますか？補助の対象になる？', 'cost'],
    ['延長保育って料金かかりますか？無料の対象になる？', 'cost'],
  ])('「%s」 asks %s', (text, facet) => {
    expect(say(text).decision).toMatchObject({ action: 'answer', facet });
  });
  it('answers from the knowledge base with its sources', () => {
    const reply = say('病児保育ってなに').replies[0];
    expect(reply?.type).toBe('answer');
    if (reply?.type === 'answer') {
      expect(reply.sources.length).toBeGreaterThan(0);
      expect(reply.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  it('says so and gives the concierge contact when a detail is unconfirmed', () => {
    const reply = say('ショートステイの料金はいくら').replies[0];
    expect(reply?.type === 'answer' && reply.unconfirmed).toBe(true);
    expect(reply?.type === 'answer' && reply.text).toContain('0865-69-2132');
  });
});

describe('Concierge: follow-ups keep the topic', () => {
  it('「料金は？」 after a topic asks for that topic’s cost', () => {
    expect(conversation('病児保育について教えて', '料金は？', 'どこでやってる？')).toMatchObject([
      { intent: 'sick-child-care' },
      { action: 'answer', intent: 'sick-child-care', facet: 'cost' },
      { action: 'answer', intent: 'sick-child-care', facet: 'where' },
    ]);
  });
  it('「じゃあ上の子は？」 asks about eligibility for the other child', () => {
    expect(conversation('中学生の医療費って助成ありますか', 'じゃあ上の子は？高2です')[1]).toMatchObject({ intent: 'medical-subsidy', facet: 'who' });
  });
  it('a question that could be about the topic at hand stays on it', () => {
    expect(conversation('予防接種のこと聞きたい', 'どこの病院で受けれる？')[1]).toMatchObject({
      action: 'answer',
      intent: 'vaccination',
      facet: 'where',
      reason: 'context',
    });
  });
  it('a new topic replaces the old one', () => {
    expect(conversation('病児保育について教えて', 'ファミサポの料金は？')[1]).toMatchObject({ intent: 'family-support-center', facet: 'cost' });
  });
  it('a short question that is ambiguous on its own means the topic at hand', () => {
    expect(say('歯医者のもある？').decision.action).not.toBe('answer');
    expect(conversation('子どもの医療費の助成について', '歯医者のもある？')[1]).toMatchObject({
      action: 'answer',
      intent: 'medical-subsidy',
      reason: 'context',
    });
  });
  it('a follow-up without a facet word of its own asks the aspect just asked about', () => {
    expect(conversation('ファミサポの料金はいくら？', '送迎も？')[1]).toMatchObject({
      action: 'answer',
      intent: 'family-support-center',
      facet: 'cost',
      reason: 'context',
    });
  });
  it('「じゃあXは？」 asks the same aspect of another service, over the facet model’s guess from the name alone', () => {
    expect(conversation('児童手当の申請はどこでするの？', 'じゃあ妊娠届は？')[1]).toMatchObject({
      action: 'answer',
      intent: 'pregnancy-notification',
      facet: 'where',
    });
    // A facet word of its own still wins.
    expect(conversation('児童手当の申請はどこでするの？', 'じゃあ妊娠届の持ち物は？')[1]).toMatchObject({ intent: 'pregnancy-notification', facet: 'how' });
  });
  it('forgets the topic after the context window', () => {
    const first = say('病児保育について教えて');
    expect(say('料金は？', first.state, T0 + 31 * 60_000).decision).toMatchObject({ action: 'clarify', reason: 'facet_only', facet: 'cost' });
  });
});

describe('Concierge: everything else', () => {
  it('greets, thanks and explains itself as smalltalk', () => {
    expect(say('こんにちは').decision).toMatchObject({ action: 'smalltalk', intent: 'greeting' });
    expect(say('ありがとうございました！').decision).toMatchObject({ action: 'smalltalk', intent: 'thanks' });
    expect(say('このボットは何ができるの').decision).toMatchObject({ action: 'smalltalk', intent: 'help' });
  });
  it('does not answer a question that is mostly about something the knowledge base does not know', () => {
    for (const text of ['市立病院の面会時間は何時まで', '浄化槽の補助金について', '太陽光パネルの補助はある？'])
      expect(say(text).decision.action, text).not.toBe('answer');
  });
  it('does not answer a vague match on words that say nothing about children or families', () => {
    for (const text of ['野球場を借りたい', '印鑑登録したい', '猫が庭に入ってくる', 'おすすめの温泉ある？'])
      expect(say(text).decision, text).toMatchObject({ action: 'fallback' });
    // …but a follow-up on the topic at hand still is one.
    expect(conversation('学童の申し込み', '夏休みだけでもいける？')[1]).toMatchObject({ action: 'answer', intent: 'after-school-club' });
  });
  it('does not read an answer into random kana', () => {
    for (const text of ['あいうえお', 'かきくけこ', 'たちつてと', 'まみむめも', 'らりるれろ']) expect(say(text).decision.action, text).toBe('fallback');
  });
  it('declines other city business kindly', () => {
    expect(say('粗大ゴミの出し方を教えて').decision).toMatchObject({ action: 'fallback', reason: 'out_of_scope' });
  });
  it('survives empty, emoji-only and huge messages', () => {
    expect(say('').decision.action).toBe('fallback');
    expect(say('🍙🍙🍙').decision.action).toBe('fallback');
    expect(() => say('保育園'.repeat(5000))).not.toThrow();
  });
  it.each<Incoming>([
    { kind: 'postback', data: 'a=facet&i=sick-child-care&f=cost' },
    { kind: 'postback', data: 'a=pick&i=temporary-care&f=overview' },
  ])('answers a tapped button %j', (message) => {
    expect(core.concierge.respond(message, emptyState(), T0).decision.action).toBe('answer');
  });
  it('lists a topic’s services from the menu', () => {
    const turn = core.concierge.respond({ kind: 'postback', data: 'a=menu&t=azuketai' }, emptyState(), T0);
    expect(turn.decision.action).toBe('clarify');
    expect(turn.quickReplies.length).toBeGreaterThan(3);
  });
  it('ignores a forged postback naming no real entry', () => {
    expect(core.concierge.respond({ kind: 'postback', data: 'a=facet&i=nope&f=cost' }, emptyState(), T0).decision.action).toBe('fallback');
  });
  it('answers a sticker with a friendly text', () => {
    expect(core.concierge.respond({ kind: 'unsupported', what: 'sticker' }, emptyState(), T0).replies[0]?.type).toBe('text');
  });
});

describe('Concierge: safety by concept, calmly told is not danger now', () => {
  it('reads a parent about to hurt their child and unable to stop, in any spelling, as harm now', () => {
    expect(say('こども を たたいて しまいそう です。 とめられません').decision).toMatchObject({ action: 'emergency', reason: 'harm' });
    expect(say('赤ちゃんを揺さぶりそうになる 手が止まらない').decision).toMatchObject({ action: 'emergency', reason: 'harm' });
    // Someone else's violence in progress stays violence (110), checked first.
    expect(say('夫が子どもを蹴ってる 止められない').decision).toMatchObject({ action: 'emergency', reason: 'violence' });
  });
  it.each([
    ['英語', 'my baby is not breathing, please help'],
    ['ベトナム語', 'Con tôi đang co giật, gọi không tỉnh'],
    ['中国語', '孩子抽搐了，叫不醒'],
    ['かなだけ', 'せんざい のんじゃった くちから あわ'],
    ['様子の描写', '1歳の子がボタン電池をかじっていて口の中が黒い'],
    ['頭をぶつけたあと', '2歳の娘がテーブルの角に頭ぶつけて何回も吐いとる'],
    ['子どもを見ている大人の急病', '子どもと二人きりなのに胸が痛くて冷や汗が止まらない'],
    ['友だちの「今から死ぬ」', '友だちが今から死ぬってメッセージを送ってきた、どうしよう'],
    ['「かと思った」のあとに今の危険', '子どもが溺れて死ぬかと思った！今もぐったりしてる'],
  ])('a danger described in %s gets emergency guidance', (_how, text) => {
    expect(say(text).decision.action).toBe('emergency');
  });
  it.each([
    ['past', '去年、子どもが熱性けいれんを起こしたことがあります。予防接種は受けて大丈夫ですか'],
    ['a pet', 'うちの犬がけいれんしてる、夜も開いてる動物病院ある？'],
    ['news', 'ニュースで子どもが川で溺れた事故を見て怖くなりました'],
    ['a joke', '子どもの寝相がすごくて窒息するかと思った笑'],
    ['what did not happen', '子どもの寝顔がかわいすぎて息が止まるかと思った'],
    ['a figure of speech', '胸が痛いほど感動した映画でした'],
    ['what did not happen, and is over', '娘がのどに詰まらせて窒息するかと思った、今は元気'],
  ])('a danger word told as %s is not an emergency', (_how, text) => {
    expect(say(text).decision.action).not.toBe('emergency');
  });
  it.each([
    ['the animal is the subject', 'うさぎがぐったりして動かない、どうしたらいい'],
    ['the animal, then a question', 'インコが息が苦しそうにしてる。夜も診てくれる動物病院ってある？'],
    ['an animal beside a calm child', '子猫がけいれんしてて、娘はそばで見てる'],
  ])('danger that happens to an animal (%s) is not a child’s emergency', (_how, text) => {
    expect(say(text).decision.action).not.toBe('emergency');
  });
  it.each([
    ['bitten by it', '犬にかまれて血が止まらない'],
    ['the animal acting on the child', '近所の犬が息子に飛びかかって、頭を打って意識がない'],
    ['a child in the same clause', '猫がいて息子が喉にボタンを詰まらせた'],
    ['the animal only the setting of the fall', '犬が急に走って、つられて転んだ娘が頭を打って反応がない'],
    ['walking the dog', '犬の散歩中に転んで頭を打って反応がない'],
  ])('danger to a person near an animal (%s) still gets emergency guidance', (_how, text) => {
    expect(say(text).decision.action).toBe('emergency');
  });
  it('acknowledges that the danger is over instead of sending the 119 card again', () => {
    const turn = say('救急車を呼びました。いまは落ち着きました');
    expect(turn.decision).toMatchObject({ action: 'smalltalk', reason: 'danger_over' });
    expect(turn.replies.map((r) => r.type)).not.toContain('emergency');
  });
  it.each([
    ['a vital sign that stopped', '赤ちゃんの呼吸が止まりました'],
    ['the same, in kana', 'あかちゃんの いきが とまりました'],
    ['danger named after the words that say it is over', '見つかりました。でも川に落ちていて意識がありません'],
    ['still struggling to breathe', '落ち着きましたが、まだ息が苦しそうです'],
    ['not coming round', '子どもが頭を打って意識が戻らない'],
  ])('does not take danger now for danger over (%s)', (_how, text) => {
    expect(say(text).decision.action).toBe('emergency');
  });
});

describe('Concierge: danger said in other words than the rule’s', () => {
  it.each([
    ['なくなった, after a laugh', '笑ってたら急に息ができなくなった'],
    ['polite', '念のため聞きます、赤ちゃんが息をしていません'],
    ['a convulsion while playing a game, not in one', 'ゲームで遊んでたら急にけいれんしはじめた'],
  ])('gets emergency guidance (%s)', (_how, text) => {
    expect(say(text).decision.action).toBe('emergency');
  });
});

describe('Concierge: the question actually asked, in the words it was asked', () => {
  it('answers B in 「AじゃなくてB」', () => {
    expect(say('保育園じゃなくて幼稚園の申し込みはいつ？').decision).toMatchObject({ action: 'answer', intent: 'kindergarten' });
    expect(say('幼稚園じゃなくて保育園の申し込みはいつ？').decision).toMatchObject({ action: 'answer', intent: 'nursery-admission' });
  });
  it('reads the service from A when B is only a person or a day', () => {
    expect(say('孫を連れて支援センターに遊びに行ってもええかのう。母親じゃのうて、わしはじいちゃんじゃが').decision).toMatchObject({
      action: 'answer',
      intent: 'support-hub',
    });
    expect(say('土曜日じゃなくて日曜日に子育てひろばは開いてる？').decision).toMatchObject({ action: 'answer', intent: 'support-hub', facet: 'where' });
  });
  it('reads a few words ending in 「も？」「は？」 as a question about the topic just talked about', () => {
    const first = say('子どもの医療費の助成について知りたい');
    expect(first.decision).toMatchObject({ action: 'answer', intent: 'medical-subsidy' });
    expect(say('入院も？', first.state).decision).toMatchObject({ action: 'answer', intent: 'medical-subsidy', reason: 'context' });
    // Without a topic to continue, the same words are not guessed at.
    expect(say('入院も？').decision.reason).not.toBe('context');
  });
  it('judges spaced writing about a child by the long-message bar, and not an adult’s', () => {
    // A bar no reading reaches, but the long-message one: only the messages judged by that one are answered.
    const strict = new Concierge({ ...core, thresholds: { ...DEFAULT_THRESHOLDS, answer: 0.999, sure: 1.1, dominance: 1e9, sole: 1.1, longAnswer: 0.3 } });
    const decide = (text: string) => strict.respond({ kind: 'text', text }, emptyState(), T0).decision;
    expect(decide('孫が 来年 小学校 なんじゃが 放課後に 預かって もらえる ところは 空いとるんかのう')).toMatchObject({
      action: 'answer',
      intent: 'after-school-club',
    });
    expect(decide('孫が来年小学校なんじゃが放課後に預かってもらえるところは空いとるんかのう').action).not.toBe('answer');
    expect(decide('わしの 健康診断は 市で 受けられるんかのう 今年 75に なるんじゃが').action).not.toBe('answer');
  });
  it('reads a short question in which nothing names a topic as a question about the one just talked about', () => {
    const first = say('学童保育の利用料はいくら？');
    expect(first.decision).toMatchObject({ action: 'answer', intent: 'after-school-club', facet: 'cost' });
    // The aspect just asked is kept, as for 「入院も？」.
    expect(say('兄弟で通わせたら安くなったりするのかな', first.state).decision).toMatchObject({ intent: 'after-school-club', reason: 'context' });
    expect(say('おやつって出るんですか？', first.state).decision).toMatchObject({ action: 'answer', intent: 'after-school-club', reason: 'context' });
    // Not a question, other business, or no topic to continue: not guessed at.
    expect(say('なるほど、わかりました', first.state).decision.reason).not.toBe('context');
    expect(say('粗大ごみの出し方って決まってるの？', first.state).decision).toMatchObject({ action: 'fallback' });
    expect(say('おやつって出るんですか？').decision.reason).not.toBe('context');
  });
  it('reads the topic without a 「Xじゃなくても」 condition, and stays on the topic when nothing else is left', () => {
    expect(say('一時預かり、毎週じゃなくても使える？').decision).toMatchObject({ action: 'answer', intent: 'temporary-care', facet: 'who' });
    const first = say('ショートステイってどんなサービス？');
    expect(first.decision).toMatchObject({ action: 'answer', intent: 'short-stay' });
    expect(say('共働きじゃなくても使える？', first.state).decision).toMatchObject({ intent: 'short-stay', facet: 'who', reason: 'context' });
  });
  it('stays on the topic for a follow-up made only of facet words, however sure the models are of another service', () => {
    const first = say('母子手帳はどこでもらえますか');
    expect(first.decision).toMatchObject({ action: 'answer', intent: 'pregnancy-notification' });
    expect(say('日曜もあいてる？', first.state).decision).toMatchObject({ intent: 'pregnancy-notification', facet: 'where', reason: 'context' });
    // A service named is a new topic.
    expect(say('休日当番医は日曜もあいてる？', first.state).decision).toMatchObject({ intent: 'pediatric-emergency' });
  });
  it('keeps the aspect asked when the parent corrects which service they meant', () => {
    const first = say('保育園の申し込みに必要な書類は？');
    expect(first.decision).toMatchObject({ action: 'answer', intent: 'nursery-admission', facet: 'how' });
    expect(say('あ、違う、幼稚園のほうです', first.state).decision).toMatchObject({ action: 'answer', intent: 'kindergarten', facet: 'how' });
    // Without a correction, a new service named on its own is asked about as a whole.
    expect(say('幼稚園', first.state).decision).toMatchObject({ intent: 'kindergarten', facet: 'overview' });
  });
  it('meets a long message that carries distress with a word for the feeling before the answer', () => {
    const turn = say('毎日ひとりで育児してて本当にしんどいです。一時預かりってどうやって申し込むんですか');
    // Whatever the bot makes of the question, the word for the feeling comes first.
    expect(['answer', 'clarify', 'fallback']).toContain(turn.decision.action);
    expect(turn.replies[0]).toMatchObject({ type: 'text', text: expect.stringContaining('ひとりで抱えなくて大丈夫') });
    expect(say('一時預かりの申し込み方法').replies[0]?.type).not.toBe('text');
  });
  it('answers English in English, and romaji in Japanese with an English note on how to get help', () => {
    const english = say('How much is daycare for a 2 year old?');
    // The fee, answered or offered beside admission (both fit a two-year-old's daycare cost).
    expect(english.decision.intent === 'childcare-fee' || english.decision.candidates?.includes('childcare-fee')).toBe(true);
    expect(english.decision.facet).toBe('cost');
    expect(english.state.language).toBe('en');
    expect(english.replies[0]).toEqual({ type: 'text', text: 'I will answer in English.' });
    const romaji = say('hoikuen ni hairitai, moushikomi wa doko?');
    expect(romaji.decision).toMatchObject({ action: 'answer', intent: 'nursery-admission' });
    expect(romaji.state.language).toBeUndefined();
    expect(romaji.replies.at(-1)).toMatchObject({ type: 'text', text: expect.stringContaining('talk to staff') });
    expect(say('Can I talk to a real person?').decision.action).toBe('handoff');
    const danger = say('my son is not breathing');
    expect(danger.replies[0]).toMatchObject({ type: 'emergency', title: 'Call 119 now' });
  });
  it('says honestly what this account cannot do, and where to turn', () => {
    const turn = say('粗大ゴミの出し方を教えて');
    expect(turn.decision).toMatchObject({ action: 'fallback', reason: 'out_of_scope' });
    expect(turn.replies[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/お答えできません[\s\S]*子育て支援[\s\S]*0865-69-2132/) });
    // General city business is never offered to the child-rearing staff, however often it is asked.
    let state = emptyState();
    for (const text of ['住民票をとりたい', '固定資産税の支払い方法', '粗大ゴミの出し方を教えて']) {
      const again = say(text, state);
      expect(again.decision.reason).toBe('out_of_scope');
      expect(JSON.stringify(again.replies)).not.toContain('担当者におつなぎしましょうか');
      state = again.state;
    }
  });
});

describe('Concierge: one person cannot grow the conversation state', () => {
  it('keeps the stored state small over a hundred long, repeating messages', () => {
    let state = emptyState();
    let now = T0;
    const long = '上の子は1歳 '.repeat(300); // ≈ 1,800 characters
    for (let i = 0; i < 100; i++) {
      now += 30_000;
      state = say(`${long}${i % 2 ? '保育園の料金は？' : '病児保育は？'}`, state, now).state;
    }
    // Before: ≈ 21 KB more per message (2.1 MB after 100), every decision slower with it.
    expect(JSON.stringify(state).length).toBeLessThan(2_000);
  });
});

describe('Concierge: kanji the IME got wrong (変換ミス) are read as the word typed', () => {
  it.each([
    ['学同保育の申し込み', 'after-school-club'],
    ['病辞保育はどこにありますか', 'sick-child-care'],
    ['就学児献身の会場', 'school-enrollment'],
  ])('「%s」 is answered as %s', (text, intent) => {
    const { decision } = say(text);
    expect(decision.action).toBe('answer');
    expect(decision.intent).toBe(intent);
  });
  it('reads the known word in the text: its reading matches, its kanji do not', () => {
    expect(core.analyzer.analyze('就学児献身の会場').norm).toBe('就学時健診の会場');
  });
  it('leaves a word the parent meant alone, even one read like a service', () => {
    expect(core.analyzer.analyze('夫が献身的に支えてくれます').norm).toBe('夫が献身的に支えてくれます');
    expect(core.analyzer.analyze('申請時に必要なものは').norm).toBe('申請時に必要なものは');
  });
});
