import { daysBetween } from './dates.js';
import { NOTICE_DAYS } from './effective.js';
import type { KnowledgeBase } from './load.js';
import { FACET_LABELS } from './labels.js';
import { FACETS, validUntilDate } from './schema.js';

/** An entry with facts to re-check: sources past their valid-until date, answers marked unconfirmed. */
export interface StaleEntry {
  id: string;
  title: string;
  /** The oldest 確認日 among what needs re-checking: the list is sorted by it, oldest first. */
  oldestChecked: string;
  expired: { id: string; title: string; url: string; checked: string; validUntil: string }[];
  unconfirmed: string[];
  /**
   * Dated statements whose start or end has passed (kb:check fails on them: fold the rule into the text) or comes
   * within NOTICE_DAYS (check the coming rule is still what the source says).
   */
  dated: { facet: string; text: string; kind: 'starts' | 'ends'; date: string; passed: boolean }[];
}

/** `today` as YYYY-MM-DD in Japan. */
export const japanDate = (ms: number): string => new Date(ms + 9 * 3600_000).toISOString().slice(0, 10);

export function staleEntries(kb: KnowledgeBase, today: string): StaleEntry[] {
  const out: StaleEntry[] = [];
  for (const e of kb.entries.values()) {
    const expired = e.sources
      .filter((s) => s.validUntil && (validUntilDate(s.validUntil) ?? '9999') < today)
      .map((s) => ({ id: s.id, title: s.title, url: s.url, checked: s.checked, validUntil: s.validUntil! }));
    const unconfirmedFacets = FACETS.filter((f) => e.facets[f]?.unconfirmed);
    const dated = FACETS.flatMap((f) =>
      (e.facets[f]?.statements ?? []).flatMap((st) => {
        const edge = st.until !== undefined && st.until < today ? { kind: 'ends' as const, date: st.until } : st.from !== undefined ? { kind: 'starts' as const, date: st.from } : st.until !== undefined ? { kind: 'ends' as const, date: st.until } : undefined;
        if (!edge) return [];
        const passed = edge.kind === 'ends' ? edge.date < today : edge.date <= today;
        return passed || daysBetween(today, edge.date) <= NOTICE_DAYS ? [{ facet: FACET_LABELS[f], text: st.text, ...edge, passed }] : [];
      }),
    );
    if (!expired.length && !unconfirmedFacets.length && !dated.length) continue;
    const dates = [...expired.map((s) => s.checked), ...unconfirmedFacets.flatMap((f) => e.sources.filter((s) => e.facets[f]!.sources.includes(s.id)).map((s) => s.checked))];
    out.push({ id: e.id, title: e.title, oldestChecked: dates.sort()[0] ?? '', expired, unconfirmed: unconfirmedFacets.map((f) => FACET_LABELS[f]), dated });
  }
  return out.sort((a, b) => a.oldestChecked.localeCompare(b.oldestChecked) || a.id.localeCompare(b.id));
}
