import { JA } from './copy/ja.js';
import { NEED_LABELS, NEEDS, type Condition, type Need } from '../knowledge/schema.js';
import { PREGNANCY, type AgeSpan } from '../nlp/ages.js';
import { postback } from './replies.js';
import type { QuickReply } from './types.js';

/** The guided consultation's three questions, with the answers offered as buttons. */

export const WHO_OPTIONS: { v: string; label: string; span: AgeSpan }[] = [
  { v: 'preg', label: '妊娠中', span: PREGNANCY },
  { v: '0-2', label: '0〜2歳', span: { label: '0〜2歳', min: 0, max: 35 } },
  { v: '3-5', label: '3歳〜就学前', span: { label: '3歳〜就学前', min: 36, max: 83, schoolMax: -1 } },
  { v: 'elem', label: '小学生', span: { label: '小学生', min: 72, max: 155, schoolMin: 1, schoolMax: 6 } },
  { v: 'jh', label: '中学生以上', span: { label: '中学生以上', min: 144, max: 227, schoolMin: 7, schoolMax: 12 } },
];

export const SPECIAL_OPTIONS: { v: Condition | 'none'; label: string }[] = [
  { v: 'working', label: '仕事をしている' },
  { v: 'single_parent', label: 'ひとり親' },
  { v: 'island', label: '島に住んでいる' },
  { v: 'development', label: '発達が気になる' },
  { v: 'sick_child', label: '子どもが病気' },
  { v: 'none', label: '特にない' },
];

/** The guided consultation's questions, in the order they are asked (their wording is in the copy). */
export const GUIDE_QUESTIONS = JA.guide.questions;

export type GuideStep = keyof typeof GUIDE_QUESTIONS;

export function guideQuickReplies(step: GuideStep): QuickReply[] {
  const options =
    step === 'who'
      ? WHO_OPTIONS.map((o) => ({ v: o.v, label: o.label }))
      : step === 'need'
        ? NEEDS.map((n) => ({ v: n, label: NEED_LABELS[n] }))
        : SPECIAL_OPTIONS;
  return options.map((o) => ({ label: o.label, postback: postback({ a: 'guide', s: step, v: o.v }), displayText: o.label }));
}

export const guideStartButton: QuickReply = {
  label: 'あなたに合うサービス',
  postback: postback({ a: 'guide', s: 'start' }),
  displayText: '自分に合うサービスを知りたい',
};

// Free-text answers to 「どんなことでお困りですか？」.
const NEED_WORDS: [Need, RegExp][] = [
  ['azuketai', /預け|あずけ|見てもら|みてもら|保育|託児/],
  ['okane', /お金|おかね|手当|助成|費用|給付|補助|無料|医療費/],
  ['kenko', /健診|検診|予防接種|ワクチン|健康|病気|発熱|けが/],
  ['soudan', /相談|悩|不安|話を聞/],
  ['tetsuzuki', /手続|届|申請|書類/],
  ['asobi', /遊|交流|友だち|友達|公園|ひろば|広場/],
];

export function needFromText(text: string): Need | undefined {
  return NEED_WORDS.find(([, re]) => re.test(text))?.[0];
}

export const NOTHING_SPECIAL = /^(特に|とくに)?(ない|なし|無い|ありません|ないです|大丈夫)/;
