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

export interface UnansweredLog {
  record(item: UnansweredItem): Promise<void>;
  /** Newest first, within the retention period. */
  list(limit?: number): Promise<UnansweredItem[]>;
}

export class MemoryUnansweredLog implements UnansweredLog {
  private items: UnansweredItem[] = [];
  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
    private readonly max = 5000,
  ) {}

  async record(item: UnansweredItem): Promise<void> {
    this.items.push(item);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }

  async list(limit = 1000): Promise<UnansweredItem[]> {
    const cutoff = this.now() - this.retentionMs;
    this.items = this.items.filter((i) => i.at > cutoff);
    return this.items.slice(-limit).reverse();
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
 * Groups similar questions (by their content words) and ranks the groups by how
 * often they were asked. `termsOf` is the analyzer's term extraction, so 保育園/ほいくえん meet here too.
 */
export function groupUnanswered(items: UnansweredItem[], termsOf: (text: string) => string[], threshold = 0.6): UnansweredGroup[] {
  const groups: { terms: Set<string>; g: UnansweredGroup }[] = [];
  for (const item of [...items].sort((a, b) => b.at - a.at)) {
    // The masks (［電話番号］) say nothing about the question.
    const terms = new Set(termsOf(item.text.replace(/［[^］]*］/g, ' ')));
    let best: { terms: Set<string>; g: UnansweredGroup } | undefined;
    let bestSim = 0;
    for (const candidate of groups) {
      const sim = similarity(terms, candidate.terms, item.text === candidate.g.text);
      if (sim > bestSim) [best, bestSim] = [candidate, sim];
    }
    if (best && bestSim >= threshold) {
      const g = best.g;
      g.count++;
      g.kinds[item.kind] = (g.kinds[item.kind] ?? 0) + 1;
      for (const i of item.intents) if (!g.intents.includes(i)) g.intents.push(i);
      if (g.examples.length < 5 && !g.examples.includes(item.text)) g.examples.push(item.text);
      for (const t of terms) best.terms.add(t);
    } else {
      groups.push({ terms, g: { text: item.text, count: 1, kinds: { [item.kind]: 1 }, intents: [...item.intents], examples: [item.text], lastAt: item.at } });
    }
  }
  return groups.map((x) => x.g).sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
}

/**
 * How much two questions share: of the shorter one's words, the share the other has too (a longer wording of the
 * same question still groups); for one-word questions, plain Jaccard, so 「保育園」 does not swallow everything.
 */
function similarity(a: Set<string>, b: Set<string>, sameText: boolean): number {
  if (sameText) return 1;
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  const smaller = Math.min(a.size, b.size);
  return smaller >= 2 ? inter / smaller : inter / (a.size + b.size - inter);
}
