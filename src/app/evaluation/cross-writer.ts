import { buildCore, type Core } from '../../core/build-core.js';
import type { KnowledgeBase } from '../../core/knowledge/load.js';
import { casesToItems, type TrainingSet } from '../../core/nlp/learned/training-data.js';
import type { Tokenizer } from '../../core/nlp/tokenizer.js';
import { isLatinText } from '../../core/nlp/script.js';
import { parseCases, runCases } from './run-cases.js';
import { scoreDecisions, type Score, type ScoredCase } from '../../core/evaluation/score.js';
import { calibration, type Reading } from '../../core/evaluation/calibration.js';

/** One row of the evaluation: a case file and the training sets its model must not have seen. */
export interface EvalRow {
  name: string;
  /** The cases (the evaluation format). */
  jsonl: string;
  /** Training set names left out of this row's model (its own file, for a writer's corpus file). */
  without: readonly string[];
  /** What the row measures, for the table. */
  how: string;
  /** Score the cases in k parts, each with a model trained on the rest of training set `set` (instead of `without`). */
  folds?: { set: string; k: number };
  /** The cases are another row's file spelt anew (in kana): not counted again in the pooled figures under the table. */
  respelt?: boolean;
}

export interface RowResult {
  row: EvalRow;
  score: Score;
  /** In-scope cases written in English or romaji (no Japanese script): how many got the right topic. */
  latin: { n: number; ok: number };
  /** Each service question's and other business's top reading (the models' probability, and whether it was right). */
  readings: Reading[];
  buildMs: number;
}

/**
 * Scores each row with a core whose models were trained without the row's own file: a writer's messages are judged
 * by a model that never saw that writer, which is how the bot meets people who never saw it. A row with `folds` is
 * scored in parts instead, each by a core that learned from the rest of the same file: how the bot meets new messages
 * written the way a file's writer writes.
 */
export async function evaluateRows(kb: KnowledgeBase, tokenizer: Tokenizer, sets: readonly TrainingSet[], rows: readonly EvalRow[]): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const cores = new Map<string, Core>();
  const coreFor = (key: string, training: () => TrainingSet[]) => {
    let core = cores.get(key);
    if (!core) cores.set(key, (core = buildCore(kb, tokenizer, 0, { training: training() })));
    return core;
  };
  for (const row of rows) {
    const started = performance.now();
    const cases = parseCases(row.jsonl) as (ScoredCase & { user?: string })[];
    const parts: { core: Core; cases: typeof cases }[] = [];
    if (row.folds) {
      const { set, k } = row.folds;
      const foldOf = foldsByConversation(cases, k);
      for (let fold = 0; fold < k; fold++) {
        const rest = cases.filter((c) => foldOf(c) !== fold);
        const training = () => [
          ...sets.filter((x) => x.name !== set),
          { name: `${set} (fold ${fold + 1} of ${k} left out)`, items: casesToItems(casesJsonl(rest)) },
        ];
        parts.push({ core: coreFor(`${set}#${fold}/${k}`, training), cases: cases.filter((c) => foldOf(c) === fold) });
      }
    } else {
      const key = [...row.without].sort().join('|');
      parts.push({ core: coreFor(key, () => sets.filter((x) => !row.without.includes(x.name))), cases });
    }
    const buildMs = performance.now() - started;
    const decisions = (await Promise.all(parts.map((p) => runCases(p.core.concierge, p.cases)))).flat();
    const score = scoreDecisions(
      parts.flatMap((p) => p.cases),
      decisions,
    );
    const byId = new Map(decisions.map((d) => [d.id, d]));
    const latin = { n: 0, ok: 0 };
    const readings: Reading[] = [];
    for (const { core, cases: part } of parts)
      for (const c of part) {
        const expects = (Array.isArray(c.expect) ? c.expect : [c.expect]).map(String);
        const intents = expects.map((e) => e.split('#')[0]);
        if (!expects.some((e) => e.startsWith('@')) && isLatinText(c.text)) {
          const d = byId.get(c.id);
          latin.n++;
          if (d && (d.action === 'answer' || d.action === 'smalltalk') && intents.includes(d.intent)) latin.ok++;
        }
        // Emergencies and requests for a person are read by rules and models of their own, before any topic.
        if (expects.some((e) => e === '@emergency' || e === '@handoff')) continue;
        const a = core.analyzer.analyze(c.text);
        const u = core.understanding.read(a);
        const top = [...u.ranking, { intent: '@none', score: u.none }].reduce((x, y) => (y.score > x.score ? y : x));
        readings.push({ p: top.score, right: intents.includes(top.intent), chars: a.norm.length });
      }
    results.push({ row, score, latin, readings, buildMs });
  }
  return results;
}

/** Which of k folds each case is in: whole conversations together, dealt out in the order they first appear. */
function foldsByConversation(cases: readonly { id: string; user?: string }[], k: number): (c: { id: string; user?: string }) => number {
  const fold = new Map<string, number>();
  for (const c of cases) {
    const user = c.user ?? c.id;
    if (!fold.has(user)) fold.set(user, fold.size % k);
  }
  return (c) => fold.get(c.user ?? c.id)!;
}

const casesJsonl = (cases: readonly object[]) => cases.map((c) => JSON.stringify(c)).join('\n');

const cell = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));

/** The results as one Markdown table (the form the closing notes and the README quote). */
export function formatTable(results: readonly RowResult[]): string {
  const head = '| set | how | in-scope % | facet % | @none % | @handoff % | @emergency % | false emergency % | wrong answers % | English/romaji right topic |';
  const lines = [head, `|${'---|'.repeat(10)}`];
  for (const { row, score: s, latin } of results)
    lines.push(
      `| ${row.name} | ${row.how} | ${cell(s.in_scope_accuracy)} | ${cell(s.facet_accuracy)} | ${cell(s.none_recall)} | ${cell(s.handoff_recall)} | ${cell(s.emergency_recall)} | ${cell(s.false_emergency_rate)} | ${cell(s.wrong_answer_rate)} | ${latin.n ? `${latin.ok}/${latin.n}` : '—'} |`,
    );
  const latin = results
    .filter((r) => r.row.without.length && !r.row.folds && !r.row.respelt)
    .reduce((a, r) => ({ n: a.n + r.latin.n, ok: a.ok + r.latin.ok }), { n: 0, ok: 0 });
  if (latin.n)
    lines.push(
      '',
      `English and romaji in-scope questions of the corpus (cross-writer): ${latin.ok}/${latin.n} right topic (${((100 * latin.ok) / latin.n).toFixed(1)} %)`,
    );
  const pooled = results.filter((r) => r.row.without.length && !r.row.folds && !r.row.respelt && r.row.name !== 'dev').flatMap((r) => r.readings);
  if (pooled.length) {
    const pct = (x: number) => (100 * x).toFixed(1);
    const by = (label: string, keep: (r: Reading) => boolean) => {
      const c = calibration(pooled.filter(keep));
      return `${label} ${pct(c.ece)} (${c.n})`;
    };
    lines.push(
      '',
      `Calibration across writers (the top reading's probability against how often it is right; expected calibration error, %): ` +
        `all ${pct(calibration(pooled).ece)} over ${pooled.length} messages; by length ${by('≤ 25 chars', (r) => r.chars <= 25)}, ` +
        `${by('26–60', (r) => r.chars > 25 && r.chars <= 60)}, ${by('> 60', (r) => r.chars > 60)}`,
    );
  }
  return lines.join('\n');
}
