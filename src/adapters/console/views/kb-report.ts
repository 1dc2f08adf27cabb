import type { Problem } from '../../../core/knowledge/load.js';
import { fieldLabel } from '../../../core/knowledge/messages.js';
import type { FloorReport } from '../../../app/publishing/floor.js';
import { html, type Html } from '../html.js';

/** A check's outcome: what is wrong, by file and field in staff's words, and the development-set figures. */
export function problemList(
  problems: readonly (Problem & { row?: number })[],
  link?: (p: Problem) => string | undefined,
  fileLabel: (file: string) => string = (f) => f,
): Html {
  if (!problems.length) return html``;
  return html`<ul class="problems">${problems.map((p) => {
    const href = link?.(p);
    const where = `${p.row ? `${p.row}行目 ／ ` : ''}${fileLabel(p.file)} ／ ${fieldLabel(p.field)}`;
    return html`<li>${href ? html`<a href="${href}">${where}</a>` : html`<span class="problems__where">${where}</span>`}：${p.message}</li>`;
  })}</ul>`;
}

export function floorTable(floor: FloorReport | undefined): Html {
  if (!floor) return html``;
  if (floor.status === 'skipped') return html`<p class="notice notice--warn" role="status">${floor.note}</p>`;
  return html`<div class="floor">
  <p class="form-title">回答の正確さ（開発用の質問 ${floor.cases}件で確認）：${floor.status === 'passed' ? '基準を満たしています' : '基準を下回っています'}</p>
  <div class="table-wrap"><table class="floor__table">
    <thead><tr><th scope="col">確認したこと</th><th scope="col">結果</th><th scope="col">基準</th><th scope="col"><span class="visually-hidden">判定</span></th></tr></thead>
    <tbody>${floor.metrics.map(
      (m) =>
        html`<tr class="${m.ok ? 'is-ok' : 'is-ng'}"><td>${m.label}</td><td>${m.value === null ? '—' : m.key === 'missing' ? `${m.value}件` : `${m.value}%`}</td><td>${m.limit}</td><td>${m.ok ? '✓ 満たす' : '✗ 下回る'}</td></tr>`,
    )}</tbody>
  </table></div>
  ${
    floor.regressions.length
      ? html`<p class="form-title">いま正しく答えていて、この変更で答えられなくなる質問</p>
  <ul>${floor.regressions.map((r) => html`<li>「${r.text}」（正しくは ${r.expect}、変更後は ${r.got}）</li>`)}</ul>`
      : ''
  }
</div>`;
}
