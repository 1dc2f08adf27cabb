import { fieldLabel } from '../../core/knowledge/messages.js';
import type { FloorReport } from './floor.js';
import type { PublishResult } from './publisher.js';

/** The floor figures as lines: 「✓ 対象の質問に、正しい項目で答えた割合 95.2%（基準 92%以上）」. */
export function floorLines(floor: FloorReport): string[] {
  if (floor.status === 'skipped') return [`⚠ ${floor.note}`];
  return [
    `開発用の質問 ${floor.cases}件で確認しました:`,
    ...floor.metrics.map(
      (m) => `  ${m.ok ? '✓' : '✗'} ${m.label} ${m.value === null ? '—' : m.key === 'missing' ? `${m.value}件` : `${m.value}%`}（基準 ${m.limit}）`,
    ),
    ...(floor.regressions.length
      ? ['  いま答えられていて、この版では答えられなくなる質問:', ...floor.regressions.map((r) => `    「${r.text}」（正解 ${r.expect} → ${r.got}）`)]
      : []),
  ];
}

/** A publish or rollback outcome for the terminal (kb:import, kb:csv:import). */
export function publishResultText(r: PublishResult | { status: 'missing' }): string {
  switch (r.status) {
    case 'published':
      return [`公開しました: 版${r.version.n}（${r.version.summary}）`, ...(r.report.floor ? floorLines(r.report.floor) : [])].join('\n');
    case 'unchanged':
      return `公開中の版${r.current}と同じ内容なので、新しい版は作りませんでした。`;
    case 'stale':
      return `確認している間に別の版（版${r.current}）が公開されました。もう一度実行してください。`;
    case 'missing':
      return 'その版はありません。';
    case 'refused':
      return [
        '公開できませんでした。公開中の版はそのまま使われています。理由:',
        ...r.report.problems.map((p) => `  ${p.file}  ${fieldLabel(p.field)}: ${p.message}`),
        ...(r.report.floor ? floorLines(r.report.floor) : []),
      ].join('\n');
  }
}
