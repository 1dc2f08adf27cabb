import { daysBetween, japaneseDay } from './dates.js';
import type { KnowledgeBase, Problem } from './load.js';
import { FACETS, type DatedStatement, type Facet, type FacetEntry } from './schema.js';

/**
 * Rules with effective dates: which statements hold on a given day, how a facet's text reads that day, and what
 * `kb:check` says about dates that have passed or come soon. Pure: `today` (YYYY-MM-DD, Japan) is passed in by
 * the caller, which takes it from its clock (the conversation's `now`, the console's clock, kb:check's date).
 */

/** How near a change must be for the bot to tell it beside today's rule, and for kb:check to list it. */
export const NOTICE_DAYS = 60;

export type StatementState = 'in_force' | 'coming' | 'not_yet' | 'ended';

export function statementState(s: DatedStatement, today: string): StatementState {
  if (s.until !== undefined && s.until < today) return 'ended';
  if (s.from !== undefined && s.from > today) return daysBetween(today, s.from) <= NOTICE_DAYS ? 'coming' : 'not_yet';
  return 'in_force';
}

const day = (iso: string) => japaneseDay(iso) ?? iso;

/**
 * The facet's text as told on `today`: its text, then each statement in force (with its last day when that is
 * within NOTICE_DAYS), then each rule starting within NOTICE_DAYS with its first day. Ended and far-off
 * statements are left out.
 */
export function facetTextOn(f: Pick<FacetEntry, 'text' | 'statements'>, today: string): string {
  const parts = [f.text];
  for (const s of f.statements ?? []) {
    const state = statementState(s, today);
    if (state === 'in_force') parts.push(s.until !== undefined && daysBetween(today, s.until) <= NOTICE_DAYS ? `${s.text}（${day(s.until)}まで）` : s.text);
    else if (state === 'coming') parts.push(`【${day(s.from!)}から】${s.text}`);
  }
  return parts.join('\n');
}

export interface DatedChange {
  file: string;
  field: string;
  /** The date the statement starts or ends on. */
  date: string;
  kind: 'starts' | 'ends';
  text: string;
}

/**
 * What kb:check says about dated statements on `today`. Problems (kb:check fails): a statement whose `from` has
 * come — it was written as the coming rule and is the rule now, so it belongs in the facet's text, and what it
 * replaced must go — and one whose `until` has passed (no longer told; remove it). Soon (listed, not failing):
 * statements that start or end within NOTICE_DAYS.
 */
export function datedStatementReport(kb: Pick<KnowledgeBase, 'entries'>, today: string): { problems: Problem[]; soon: DatedChange[] } {
  const problems: Problem[] = [];
  const soon: DatedChange[] = [];
  for (const e of kb.entries.values())
    for (const facet of FACETS) {
      const statements = e.facets[facet as Facet]?.statements ?? [];
      statements.forEach((s, i) => {
        const file = `knowledge/${e.id}.yaml`;
        const field = `facets.${facet}.statements.${i}`;
        if (s.until !== undefined && s.until < today)
          problems.push({ file, field: `${field}.until`, message: `${day(s.until)}で終わった文です（もう案内されません）。削除するか、日付を直してください` });
        else if (s.from !== undefined && s.from <= today)
          problems.push({ file, field: `${field}.from`, message: `${day(s.from)}から始まると書かれた文が、もう始まっています。本文（text）に書き直し、置きかわった文を消してください` });
        for (const [kind, date] of [['starts', s.from], ['ends', s.until]] as const)
          if (date !== undefined && (kind === 'starts' ? date > today : date >= today) && daysBetween(today, date) <= NOTICE_DAYS) soon.push({ file, field, date, kind, text: s.text });
      });
    }
  return { problems, soon: soon.sort((a, b) => a.date.localeCompare(b.date) || a.file.localeCompare(b.file)) };
}
