import type { MonthFigures } from '../../../app/insights/figures.js';
import type { UnansweredGroup, UnansweredKind } from '../../../app/insights/unanswered.js';
import type { ExampleCheck } from '../../../app/publishing/add-example.js';
import type { Decision } from '../../../core/conversation/types.js';
import { facetLabel } from '../../../core/knowledge/labels.js';
import { jpDateTime } from '../format.js';
import { checkOutcome } from './kb-report.js';
import { html, rawHtml, type Html } from '../html.js';
import { csrfField, page, type Notice, type PageOptions } from './layout.js';

export const KIND_LABELS: Record<UnansweredKind, string> = {
  fallback: '答えられなかった',
  clarify_unaccepted: '候補を選ばれなかった',
  handoff: '担当者へ引き継ぎ',
  feedback_down: '役に立たなかった',
};

/** The unanswered page shows this many groups (the most frequent). */
export const UNANSWERED_SHOWN = 100;

export interface UnansweredView {
  groups: UnansweredGroup[];
  days: number;
  intentTitle: (id: string) => string;
  /** Intents staff may add a question to, as [id, title]. */
  intents: [string, string][];
  /** Whether adding an example is possible here (the knowledge editor is available). */
  canAddExample: boolean;
  /** Questions that must never become examples, with why (by the group's text). */
  refusals: ReadonlyMap<string, string>;
  csrfToken: string;
}

export function unansweredPage(v: UnansweredView, staff: PageOptions['staff'], notice?: Notice): Html {
  const rows = v.groups.slice(0, UNANSWERED_SHOWN).map(
    (g, i) => html`<li class="item">
  <div class="item__head"><span class="badge">${g.count}件</span> <strong>${g.text}</strong></div>
  <p class="item__meta">${Object.entries(g.kinds)
    .map(([k, n]) => `${KIND_LABELS[k as UnansweredKind]} ${n}`)
    .join('／')}${g.intents.length ? `／ボットの候補: ${g.intents.map(v.intentTitle).join('、')}` : ''}／最後: ${jpDateTime(g.lastAt)}</p>
  ${g.examples.length > 1 && html`<details><summary>ほかの言い方（${g.examples.length - 1}件）</summary><ul>${g.examples.slice(1).map((e) => html`<li>${e}</li>`)}</ul></details>`}
  ${
    v.canAddExample &&
    (v.refusals.has(g.text)
      ? html`<p class="item__meta">${v.refusals.get(g.text)}。</p>`
      : html`<form method="post" action="/console/insights/unanswered/example" class="inline-form">
    ${csrfField(v.csrfToken)}<input type="hidden" name="text" value="${g.text}">
    <label for="intent-${i}">例文として追加する先</label>
    <select id="intent-${i}" name="intent" required><option value=""${g.intents[0] ? '' : rawHtml(' selected')} disabled>選んでください</option>${v.intents.map(([id, title]) => html`<option value="${id}"${g.intents[0] === id ? rawHtml(' selected') : ''}>${title}</option>`)}</select>
    <button type="submit" class="button">確認する（まだ公開しません）</button>
    <a class="button" href="/console/kb/new?question=${encodeURIComponent(g.text)}">この質問から新しい項目を作る</a>
  </form>`)
  }
</li>`,
  );
  return page({
    title: '答えられなかった質問',
    ...(staff ? { staff } : {}),
    ...(notice ? { notice } : {}),
    body: html`<h1>答えられなかった質問（直近${v.days}日）</h1>
<p>ボットが答えられなかった質問、候補を選ばれなかった質問、担当者へ引き継いだ質問、「役に立たなかった」と言われた回答の質問です。似た質問はまとめ、多い順に並べています。電話番号・メールアドレス・マイナンバーらしい数字・「さん／ちゃん／くん」の前の名前は伏せてあります。</p>
<p><a href="/console/insights/figures">利用状況（月ごとの数字）へ</a></p>
${v.groups.length ? html`<ol class="list">${rows}</ol>` : html`<p>この期間に記録はありません。</p>`}`,
  });
}

/** What the bot does with a question, in staff's words. */
export function decisionInWords(d: Decision | undefined, title: (id: string) => string): string {
  if (!d) return '—';
  switch (d.action) {
    case 'answer':
      return `「${title(d.intent ?? '')}」の${facetLabel(d.facet ?? 'overview')}で答える`;
    case 'clarify':
      return `候補（${(d.candidates ?? []).map(title).join('、')}）を出して聞き返す`;
    case 'handoff':
      return '担当者へ引き継ぐ';
    case 'emergency':
      return '緊急の案内を出す';
    case 'smalltalk':
      return 'あいさつとして返事をする';
    default:
      return '答えられない（わからないと伝える）';
  }
}

export interface ExampleConfirmView {
  text: string;
  intent: string;
  intentTitle: (id: string) => string;
  check: ExampleCheck;
  csrfToken: string;
}

/** Step two of learning from a question: what will change, the checks' outcome, and a deliberate 公開する. */
export function exampleConfirmPage(v: ExampleConfirmView, staff: PageOptions['staff'], notice?: Notice): Html {
  const { check } = v;
  const lands = check.after?.intent === v.intent;
  return page({
    title: '例文に追加する前の確認',
    ...(staff ? { staff } : {}),
    ...(notice ? { notice } : {}),
    body: html`<p class="back"><a href="/console/insights/unanswered">← 答えられなかった質問へ戻る</a></p>
<h1>例文に追加する前の確認</h1>
<section class="card stack" aria-labelledby="what-heading">
  <h2 id="what-heading">追加する例文</h2>
  <p>「${v.text}」を「${v.intentTitle(v.intent)}」の聞かれ方（例文）に加えます。</p>
  <dl class="compare">
    <dt>いまのボット</dt><dd>${decisionInWords(check.now, v.intentTitle)}</dd>
    ${check.refusal ? '' : html`<dt>追加した後</dt><dd>${decisionInWords(check.after, v.intentTitle)}${check.after && !lands ? html`<strong>（選んだサービスになりません）</strong>` : ''}</dd>`}
  </dl>
</section>
${
  check.refusal
    ? html`<p class="notice notice--error" role="alert">${check.refusal}。</p>`
    : checkOutcome(
        { ...(check.report ? { check: check.report } : {}) },
        () => undefined,
        (f) => (f === `intents/${v.intent}.yaml` ? 'この項目の聞かれ方' : f),
      )
}
${
  check.ok && check.base !== undefined
    ? html`<form method="post" action="/console/insights/unanswered/example" class="inline-form">
  ${csrfField(v.csrfToken)}<input type="hidden" name="text" value="${v.text}"><input type="hidden" name="intent" value="${v.intent}"><input type="hidden" name="base" value="${check.base}">
  <button type="submit" name="action" value="publish" class="button button--primary">公開する</button>
  <a href="/console/insights/unanswered">やめる</a>
</form>`
    : html`<p><a class="button" href="/console/insights/unanswered">一覧へ戻る</a></p>`
}`,
  });
}

export interface FiguresView {
  months: MonthFigures[];
  label: string;
  prev?: string;
  next?: string;
  intentTitle: (id: string) => string;
}

/** Monthly questions as stacked bars: answered / clarified / not answered / handed over. */
function monthlyChart(months: MonthFigures[]): Html {
  const w = 720;
  const h = 240;
  const max = Math.max(1, ...months.map((m) => m.questions));
  const bw = Math.floor((w - 60) / Math.max(1, months.length)) - 8;
  const series: [keyof MonthFigures, string, string][] = [
    ['answers', '#2E7D32', '回答'],
    ['clarify', '#1565C0', '候補を提示'],
    ['fallback', '#C62828', '答えられず'],
    ['handoff', '#6A1B9A', '引き継ぎ'],
  ];
  const bars = months.map((m, i) => {
    let y = h - 30;
    const x = 50 + i * (bw + 8);
    const parts = series.map(([key, color]) => {
      const n = m[key] as number;
      const bh = Math.round((n / max) * (h - 50));
      y -= bh;
      return `<rect x="${x}" y="${y}" width="${bw}" height="${bh}" fill="${color}"><title>${n}</title></rect>`;
    });
    return `${parts.join('')}<text x="${x + bw / 2}" y="${h - 12}" font-size="11" text-anchor="middle">${m.month.slice(5)}月</text>`;
  });
  const legend = series.map(
    ([, color, label], i) =>
      `<rect x="${50 + i * 120}" y="4" width="12" height="12" fill="${color}"/><text x="${66 + i * 120}" y="15" font-size="12">${label}</text>`,
  );
  // Built only from numbers and fixed labels above: nothing here comes from a request.
  return rawHtml(
    `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="月ごとの質問数（回答・候補提示・答えられず・引き継ぎ）">${legend.join('')}<line x1="45" y1="${h - 30}" x2="${w}" y2="${h - 30}" stroke="#666"/><text x="40" y="30" font-size="11" text-anchor="end">${max}</text>${bars.join('')}</svg>`,
  );
}

export function figuresPage(v: FiguresView, staff: PageOptions['staff']): Html {
  const total = (k: keyof MonthFigures) => v.months.reduce((s, m) => s + (m[k] as number), 0);
  const services = new Map<string, { answers: number; up: number; down: number }>();
  for (const m of v.months)
    for (const [id, s] of Object.entries(m.services)) {
      const t = services.get(id) ?? { answers: 0, up: 0, down: 0 };
      services.set(id, { answers: t.answers + s.answers, up: t.up + s.up, down: t.down + s.down });
    }
  const ranked = [...services.entries()].sort((a, b) => b[1].answers - a[1].answers);
  return page({
    title: '利用状況',
    ...(staff ? { staff } : {}),
    body: html`<h1>利用状況（${v.label}）</h1>
<p class="pager">${v.prev && html`<a href="/console/insights/figures?fy=${v.prev}">← 前の年度</a>`} ${v.next && html`<a href="/console/insights/figures?fy=${v.next}">次の年度 →</a>`} <a class="button" href="/console/insights/figures.csv?fy=${v.label.replace('年度', '')}">CSVでダウンロード</a> <a href="/console/insights/unanswered">答えられなかった質問へ</a></p>
${monthlyChart(v.months)}
<table class="table"><caption>月ごとの数字（割合は質問数に対して。引き継ぎのあと担当者へ届いたメッセージは、質問にも引き継ぎにも数えません）</caption>
<thead><tr><th scope="col">月</th><th scope="col">質問数</th><th scope="col">回答率</th><th scope="col">候補提示</th><th scope="col">答えられず</th><th scope="col">引き継ぎ</th><th scope="col">引き継ぎ中に担当者へ届いたメッセージ</th><th scope="col">担当者が対応を始めるまで（平均）</th><th scope="col">役に立った／立たなかった</th></tr></thead>
<tbody>${v.months.map(
      (m) =>
        html`<tr><th scope="row">${m.month}</th><td>${m.questions}</td><td>${m.answerRate}%</td><td>${m.clarifyRate}%</td><td>${m.fallbackRate}%</td><td>${m.handoffRate}%（${m.handoff}件）</td><td>${m.toStaff}件</td><td>${m.claimMinutesAvg === undefined ? '—' : `${m.claimMinutesAvg}分（${m.claims}件）`}</td><td>${m.feedbackUp}／${m.feedbackDown}</td></tr>`,
    )}</tbody>
<tfoot><tr><th scope="row">合計</th><td>${total('questions')}</td><td colspan="3"></td><td>${total('handoff')}件</td><td>${total('toStaff')}件</td><td>${total('claims')}件</td><td>${total('feedbackUp')}／${total('feedbackDown')}</td></tr></tfoot></table>
<table class="table"><caption>サービスごとの回答数と評価</caption>
<thead><tr><th scope="col">サービス</th><th scope="col">回答数</th><th scope="col">役に立った</th><th scope="col">役に立たなかった</th></tr></thead>
<tbody>${ranked.map(([id, s]) => html`<tr><th scope="row">${v.intentTitle(id)}</th><td>${s.answers}</td><td>${s.up}</td><td>${s.down}</td></tr>`)}</tbody></table>`,
  });
}
