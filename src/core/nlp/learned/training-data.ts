import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FACETS, type Facet } from '../../knowledge/schema.js';

/**
 * One labelled message: a catalog id, or @none / @handoff / @emergency. Cases also say which facet they ask
 * (overview when none); examples written per intent do not, and do not teach the facet model.
 */
export interface Labelled {
  text: string;
  label: string;
  facet?: Facet;
}

/** A file of labelled messages, kept apart so that evaluation can leave one writer's file out. */
export interface TrainingSet {
  name: string;
  items: Labelled[];
}

const Case = z.object({ id: z.string(), user: z.string().optional(), text: z.string(), expect: z.union([z.string(), z.array(z.string())]) });
const LanguageLine = z.object({ intent: z.string(), text: z.string() });
const facetOf = (e: string): Facet | undefined => {
  const f = e.split('#')[1];
  return f && (FACETS as readonly string[]).includes(f) ? (f as Facet) : undefined;
};

/**
 * Labelled cases (the evaluation format: `{id, user, text, expect}`) as training items. Only the first turn of a
 * conversation stands on its own: later turns (「料金は？」) mean what they mean through the turns before.
 */
export function casesToItems(jsonl: string): Labelled[] {
  const seen = new Set<string>();
  const items: Labelled[] = [];
  for (const line of jsonl.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('//')) continue;
    const c = Case.parse(JSON.parse(t));
    const user = c.user ?? c.id;
    if (seen.has(user)) continue;
    seen.add(user);
    const first = String(Array.isArray(c.expect) ? c.expect[0] : c.expect);
    const label = first.split('#')[0]!;
    items.push({ text: c.text, label, ...(label.startsWith('@') ? {} : { facet: facetOf(first) ?? 'overview' }) });
  }
  return items;
}

/**
 * The training data that lives in the repository beside the knowledge base (`training/`): the dev set and the
 * corpus files (cases), and hand-written examples per language or purpose (`written/*.jsonl`, `{intent, text}`).
 * Staff edit the examples in intents/; these files are data sets, changed only as a whole.
 */
export function readTrainingSets(dir: string): TrainingSet[] {
  const sets: TrainingSet[] = [];
  const list = (d: string) => {
    try {
      return readdirSync(d)
        .filter((f) => f.endsWith('.jsonl'))
        .sort();
    } catch {
      return [];
    }
  };
  for (const f of list(dir)) sets.push({ name: f.replace(/\.jsonl$/, ''), items: casesToItems(readFileSync(path.join(dir, f), 'utf8')) });
  for (const f of list(path.join(dir, 'corpus')))
    sets.push({ name: `corpus/${f.replace(/\.jsonl$/, '')}`, items: casesToItems(readFileSync(path.join(dir, 'corpus', f), 'utf8')) });
  for (const f of list(path.join(dir, 'written'))) {
    const items = readFileSync(path.join(dir, 'written', f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => LanguageLine.parse(JSON.parse(l)))
      .map((l) => ({ text: l.text, label: l.intent }));
    sets.push({ name: `written/${f.replace(/\.jsonl$/, '')}`, items });
  }
  return sets;
}

let cached: { dir: string; sets: TrainingSet[] } | undefined;
/** The repository's training sets, read once per process (every core built in it trains on the same files). */
export function defaultTrainingSets(dir = path.resolve('training')): TrainingSet[] {
  if (cached?.dir !== dir) cached = { dir, sets: readTrainingSets(dir) };
  return cached.sets;
}
