import { z } from 'zod';

/**
 * Questions the bot could not answer well, kept (masked) for staff to learn from: fallbacks, clarifications the
 * parent did not take up, handoffs, and answers marked 役に立たなかった.
 */
export const UNANSWERED_KINDS = ['fallback', 'clarify_unaccepted', 'handoff', 'feedback_down'] as const;
export const UnansweredKind = z.enum(UNANSWERED_KINDS);
export type UnansweredKind = z.infer<typeof UnansweredKind>;

export const UnansweredItem = z.object({
  at: z.number(),
  kind: UnansweredKind,
  /** Already masked (maskPersonalData). */
  text: z.string(),
  /** The intent the bot answered with (feedback) or its best guesses (clarify). */
  intents: z.array(z.string()).default([]),
});
export type UnansweredItem = z.infer<typeof UnansweredItem>;

/**
 * What one person can add to the log in a day (Japan time). The log is for staff to learn what parents ask; one
 * person repeating themselves, or a script, must not fill it (and the page that groups it) for everyone.
 */
export const UNANSWERED_PER_PERSON_PER_DAY = 20;

/** 「2026-12-06」 in Japan time: the day a person's quota counts in. */
export const quotaDay = (at: number) => new Date(at + 9 * 3600_000).toISOString().slice(0, 10);

export interface UnansweredLog {
  /** Keeps the item unless `from` (the person's LINE user id) has used up today's quota; says whether it was kept. */
  record(item: UnansweredItem, from?: string): Promise<boolean>;
  /** Newest first, within the retention period. */
  list(limit?: number): Promise<UnansweredItem[]>;
  /** Forgets what is kept about `from` (the quota count; the items themselves name nobody). */
  forget(from: string): Promise<void>;
}

export class MemoryUnansweredLog implements UnansweredLog {
  private items: UnansweredItem[] = [];
  /** person → today's count; bounded, oldest person first out. */
  private readonly quota = new Map<string, { day: string; n: number }>();
  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
    private readonly max = 5000,
    private readonly perPerson = UNANSWERED_PER_PERSON_PER_DAY,
  ) {}

  async record(item: UnansweredItem, from?: string): Promise<boolean> {
    if (from !== undefined) {
      const day = quotaDay(item.at);
      const used = this.quota.get(from);
      const n = used?.day === day ? used.n + 1 : 1;
      this.quota.delete(from);
      this.quota.set(from, { day, n });
      if (this.quota.size > this.max) this.quota.delete(this.quota.keys().next().value!);
      if (n > this.perPerson) return false;
    }
    this.items.push(item);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    return true;
  }

  async list(limit = 1000): Promise<UnansweredItem[]> {
    const cutoff = this.now() - this.retentionMs;
    this.items = this.items.filter((i) => i.at > cutoff);
    return this.items.slice(-limit).reverse();
  }

  async forget(from: string): Promise<void> {
    this.quota.delete(from);
  }
}

export interface UnansweredGroup {
  /** The most recent wording in the group. */
  text: string;
  count: number;
  kinds: Partial<Record<UnansweredKind, number>>;
  intents: string[];
  examples: string[];
  lastAt: number;
}

/**
 * Groups similar questions (by their content words) and ranks the groups by how often they were asked. `termsOf` is
 * the analyzer's term extraction, so 保育園/ほいくえん meet here too. Each question is compared only with the groups
 * that share a word with it (or its exact wording), found through an index: thousands of distinct questions group
 * in tens of milliseconds instead of comparing every question with every group.
 */
export function groupUnanswered(items: UnansweredItem[], termsOf: (text: string) => string[], threshold = 0.6): UnansweredGroup[] {
  const grouper = new UnansweredGrouper(termsOf, threshold);
  for (const item of newestFirst(items)) grouper.add(item);
  return grouper.groups();
}

/**
 * The same grouping, yielding to the event loop every `sliceMs` so that a long log never holds up the webhooks
 * that share the process (the unanswered page may be opened while parents are writing).
 */
export async function groupUnansweredInSlices(
  items: UnansweredItem[],
  termsOf: (text: string) => string[],
  {
    threshold = 0.6,
    sliceMs = 8,
    pause = () => new Promise<void>((resolve) => setImmediate(resolve)),
  }: { threshold?: number; sliceMs?: number; pause?: () => Promise<void> } = {},
): Promise<UnansweredGroup[]> {
  const grouper = new UnansweredGrouper(termsOf, threshold);
  let sliceStart = performance.now();
  for (const item of newestFirst(items)) {
    grouper.add(item);
    if (performance.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
  }
  return grouper.groups();
}

const newestFirst = (items: UnansweredItem[]) => [...items].sort((a, b) => b.at - a.at);

interface Group {
  terms: Set<string>;
  g: UnansweredGroup;
}

/** Adds questions one at a time to the most similar group (the earliest made among equals), or to a new one. */
class UnansweredGrouper {
  private readonly all: Group[] = [];
  /** word → the groups (by index) that have it; exact wording → its group. */
  private readonly byTerm = new Map<string, number[]>();
  private readonly byText = new Map<string, number>();

  constructor(
    private readonly termsOf: (text: string) => string[],
    private readonly threshold: number,
  ) {}

  add(item: UnansweredItem): void {
    // The masks (［電話番号］) say nothing about the question.
    const terms = new Set(this.termsOf(item.text.replace(/［[^］]*］/g, ' ')));
    // How many of the question's words each group has: counted along the word index, so only groups that share a
    // word are touched at all.
    const shared = new Map<number, number>();
    for (const t of terms) for (const index of this.byTerm.get(t) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    const same = this.byText.get(item.text);
    if (same !== undefined && !shared.has(same)) shared.set(same, 0);
    let best = -1;
    let bestSim = 0;
    for (const [index, inter] of shared) {
      const sim = index === same ? 1 : similarityOf(inter, terms.size, this.all[index]!.terms.size);
      if (sim > bestSim || (sim === bestSim && sim > 0 && index < best)) [best, bestSim] = [index, sim];
    }
    if (best >= 0 && bestSim >= this.threshold) {
      const group = this.all[best]!;
      const g = group.g;
      g.count++;
      g.kinds[item.kind] = (g.kinds[item.kind] ?? 0) + 1;
      for (const i of item.intents) if (!g.intents.includes(i)) g.intents.push(i);
      if (g.examples.length < 5 && !g.examples.includes(item.text)) g.examples.push(item.text);
      for (const t of terms) if (!group.terms.has(t)) this.index(t, best, group);
    } else {
      const index = this.all.length;
      const group: Group = {
        terms: new Set(),
        g: { text: item.text, count: 1, kinds: { [item.kind]: 1 }, intents: [...item.intents], examples: [item.text], lastAt: item.at },
      };
      this.all.push(group);
      this.byText.set(item.text, index);
      for (const t of terms) this.index(t, index, group);
    }
  }

  private index(term: string, index: number, group: Group) {
    group.terms.add(term);
    const list = this.byTerm.get(term);
    if (list) list.push(index);
    else this.byTerm.set(term, [index]);
  }

  groups(): UnansweredGroup[] {
    return this.all.map((x) => x.g).sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
  }
}

/**
 * How much two questions share, from the number of words they have in common: of the shorter one's words, the share
 * the other has too (a longer wording of the same question still groups); for one-word questions, plain Jaccard,
 * so 「保育園」 does not swallow everything.
 */
function similarityOf(inter: number, a: number, b: number): number {
  if (!a || !b) return 0;
  const smaller = Math.min(a, b);
  return smaller >= 2 ? inter / smaller : inter / (a + b - inter);
}
