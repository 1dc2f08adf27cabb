import type { z } from 'zod';
import { FACET_LABELS } from './labels.js';

/**
 * Validation messages in words staff use, for knowledge files (zod's own defaults speak of "string" and "received
 * number"). Messages written into the schemas themselves take precedence over these.
 */
export const kbIssueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'この項目が必要です（空欄か、書き忘れです）';
      if (issue.expected === 'array') return '一覧で書いてください（1行ずつ「- 」で始めます）';
      if (issue.expected === 'string') return '文章（文字）で書いてください';
      if (issue.expected === 'boolean') return 'true（はい）か false（いいえ）で書いてください';
      if (issue.expected === 'object') return '項目をまとめた形（「名前: 値」の並び）で書いてください';
      return '書き方が正しくありません';
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '空欄にはできません' : `${issue.minimum}文字以上で書いてください`;
      if (issue.origin === 'array') return `${issue.minimum}件以上必要です`;
      return '値が小さすぎます';
    case 'too_big':
      if (issue.origin === 'string') return `${issue.maximum}文字以内にしてください（いま${typeof issue.input === 'string' ? issue.input.length : '?'}文字）`;
      if (issue.origin === 'array') return `${issue.maximum}件までにしてください`;
      return '値が大きすぎます';
    case 'invalid_value':
      return `次のどれかにしてください: ${issue.values.map(String).join('、')}`;
    case 'unrecognized_keys':
      return `使えない項目名です: ${issue.keys.join('、')}（書き間違いかもしれません）`;
    case 'invalid_format':
      return issue.format === 'url' ? 'URL は http:// か https:// で始まる形にしてください' : '書き方が正しくありません';
    default:
      return undefined;
  }
};

const SOURCE_FIELDS: Record<string, string> = { id: 'ID', url: 'URL', title: '名前', checked: '確認日', validUntil: '有効期限', asOf: '時点', thirdParty: '市以外の情報源' };
const FACILITY_FIELDS: Record<string, string> = { id: '記号', name: '名前', reading: '読み', aliases: '別名', kind: '種類', public: '公立・私立', area: '地区', address: '住所', addressNote: '住所の補足', tel: '電話', hours: '時間', ages: '対象年齢', offers: '内容', note: '注意書き', topics: '関係する項目', sources: '出典' };
const CONTACT_FIELDS: Record<string, string> = { id: '記号', name: '名前', tel: '電話番号', asOf: '番号の時点', note: '補足', source: '出典URL', checked: '確認日', thirdParty: '市以外の情報源' };
const FACET_FIELDS: Record<string, string> = { text: '本文', sources: '出典', phones: '電話', unconfirmed: '未確認', statements: '期間つきの文', from: '開始日', until: '終了日' };

/** `facets.cost.text` → 「料金 › 本文」, `sources.2.checked` → 「出典 3件目 › 確認日」, `examples.4` → 「例文 5件目」. */
export function fieldLabel(field: string): string {
  const p = field.split('.');
  if (p[0] === 'facets' && p[1])
    return [FACET_LABELS[p[1] as keyof typeof FACET_LABELS] ?? p[1], ...(p[2] ? [FACET_FIELDS[p[2]] ?? p[2]] : []), ...(p[3] ? [`${Number(p[3]) + 1}件目`] : []), ...(p[4] ? [FACET_FIELDS[p[4]] ?? p[4]] : [])].join(' › ');
  if (p[0] === 'sources' && p[1]) return [`出典 ${Number(p[1]) + 1}件目`, ...(p[2] ? [SOURCE_FIELDS[p[2]] ?? p[2]] : [])].join(' › ');
  if (p[0] === 'facilities' && p[1]) return [`施設 ${Number(p[1]) + 1}件目`, ...(p[2] ? [FACILITY_FIELDS[p[2]] ?? p[2]] : [])].join(' › ');
  if (p[0] === 'contacts' && p[1]) return [`連絡先 ${Number(p[1]) + 1}件目`, ...(p[2] ? [CONTACT_FIELDS[p[2]] ?? p[2]] : [])].join(' › ');
  if ((p[0] === 'examples' || p[0] === 'keywords') && p[1]) return `${p[0] === 'examples' ? '例文' : 'キーワード'} ${Number(p[1]) + 1}件目`;
  const top: Record<string, string> = { title: 'タイトル', summary: '要約', topic: '分類', examples: '例文', keywords: 'キーワード', eligibility: '対象', id: 'ID', '-': 'ファイル全体' };
  return top[p[0]!] ? [top[p[0]!], ...p.slice(1)].join(' › ') : field;
}
