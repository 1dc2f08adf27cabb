import { decodePostback } from '../../core/conversation/postback.js';
import type { FacilityCard, Incoming, QuickReply, Reply } from '../../core/conversation/types.js';
import { asOfLine, checkedLine, HANDOFF_DISPLAY_TEXT, HANDOFF_LABEL, phoneDateLine, postbackData, sourceLine, UNCONFIRMED_NOTE } from '../line/render.js';

/**
 * The terminal's view of the same replies the LINE adapter renders as Flex: readable Japanese text, with every
 * tappable thing (facet buttons, 「担当者と話す」, quick replies) listed as a numbered choice. `cliChoices` gives the
 * same list in the same order so the CLI can turn "2" into the Incoming a tap would have sent.
 */

export interface CliChoice {
  label: string;
  /** What tapping it sends; `shown` is what LINE would display as the person's message. */
  incoming: Incoming;
  shown: string;
}

const RULE = '────────────────';

/** The numbered choices for one turn: buttons of the last answer first, then the quick replies. */
export function cliChoices(replies: readonly Reply[], quickReplies: readonly QuickReply[]): CliChoice[] {
  const choices: CliChoice[] = [];
  const lastAnswer = [...replies].reverse().find((r) => r.type === 'answer');
  if (lastAnswer) {
    for (const f of lastAnswer.otherFacets)
      choices.push({ label: f.label, shown: f.label, incoming: { kind: 'postback', data: postbackData({ a: 'facet', i: lastAnswer.intent, f: f.facet }) } });
  }
  for (const q of quickReplies) {
    if ('postback' in q) choices.push({ label: q.label, shown: q.displayText ?? q.label, incoming: { kind: 'postback', data: q.postback } });
    else choices.push({ label: q.label, shown: q.text, incoming: { kind: 'text', text: q.text } });
  }
  if (lastAnswer && !choices.some((c) => c.incoming.kind === 'postback' && decodePostback(c.incoming.data)?.a === 'handoff'))
    choices.push({
      label: HANDOFF_LABEL,
      shown: HANDOFF_DISPLAY_TEXT,
      incoming: { kind: 'postback', data: postbackData({ a: 'handoff', i: lastAnswer.intent }) },
    });
  return choices;
}

function replyText(r: Reply): string {
  switch (r.type) {
    case 'text':
      return r.text;
    case 'answer': {
      const lines = [...(r.notice ? [`▶ ${r.notice.text}`] : []), `【${r.title}】（${r.facetLabel}）`, r.text];
      if (r.unconfirmed) lines.push(UNCONFIRMED_NOTE);
      lines.push(asOfLine(r.asOf));
      for (const p of r.phones) lines.push(phoneDateLine(p) ?? `☎ ${p.name}: ${p.tel}`);
      for (const s of r.sources) lines.push(`出典: ${sourceLine(s)}\n  ${s.url}`);
      const checked = checkedLine(r.checked);
      if (checked) lines.push(checked);
      return lines.join('\n');
    }
    case 'recommendations':
      return ['あなたに合いそうなサービス:', ...r.items.map((item, i) => `${i + 1}. 【${item.title}】${item.reason}\n   ${item.summary}`)].join('\n');
    case 'facilities':
      return r.items.map(facilityText).join('\n\n');
    case 'emergency':
      return [`!!! ${r.title} !!!`, ...r.phones.map((p) => `☎ ${p.tel}（${p.name}）`), '', r.text].join('\n');
  }
}

/** One facility card as lines: what the LINE card shows, phone and map as text. */
function facilityText(c: FacilityCard): string {
  const lines = [`■ ${c.name}（${c.kindLabel}${c.area ? `・${c.area}` : ''}）`];
  lines.push(c.address ? `住所: ${c.address}${c.addressNote ? `（${c.addressNote}）` : ''}` : '住所: 確認できていません');
  lines.push(c.phone ? `☎ ${c.phone.tel}` : '電話番号: 確認できていません');
  if (c.hours) lines.push(`時間: ${c.hours}`);
  if (c.ages) lines.push(`対象: ${c.ages}`);
  for (const o of c.offers) lines.push(`・${o}`);
  if (c.note) lines.push(`※ ${c.note}`);
  if (c.fallback) lines.push(`わからないことは ${c.fallback.name} ☎ ${c.fallback.tel}`);
  if (c.mapUrl) lines.push(`地図: ${c.mapUrl}`);
  for (const s of c.sources) lines.push(`出典: ${s.thirdParty ? '参考: ' : ''}${s.title}（${s.asOf ?? '時点不明'}）\n  ${s.url}`);
  if (c.checked) lines.push(`確認日: ${c.checked}`);
  return lines.join('\n');
}

/** Plain text for a terminal: the replies separated by rules, then 「選んでください:」 and numbered choices. */
export function renderPlainText(replies: readonly Reply[], quickReplies: readonly QuickReply[] = []): string {
  const parts = replies.map(replyText).filter((t) => t.trim() !== '');
  const choices = cliChoices(replies, quickReplies);
  if (choices.length) parts.push(['選んでください（番号を入力）:', ...choices.map((c, i) => `  ${i + 1}. ${c.label}`)].join('\n'));
  return parts.join(`\n${RULE}\n`);
}
