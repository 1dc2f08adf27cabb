import type { EmergencyKind, Facet } from '../../knowledge/schema.js';
import type { CuesFile } from './data.js';
import type { ForeignCode } from './route.js';
import { cueText, foreignNorm, typedWithDiacritics } from './text.js';
import { stillOver } from '../danger-over.js';

/** A message as cues read it: its words as written, and (Vietnamese) folded when it was typed without diacritics. */
export interface CueInput {
  text: string;
  folded: boolean;
}

export function cueInput(raw: string, code: ForeignCode): CueInput {
  const norm = foreignNorm(raw);
  const folded = code === 'vi' && !typedWithDiacritics(norm);
  return { text: cueText(norm, code, folded), folded };
}

/** Phrases of one language, matched as whole words (or word starts, with a trailing *); Chinese anywhere. */
export class CueSet {
  private readonly needles: string[];
  private readonly folded: string[];
  constructor(phrases: readonly string[], code: ForeignCode) {
    const needle = (p: string, fold: boolean) => {
      const prefix = p.endsWith('*');
      const text = cueText(foreignNorm(prefix ? p.slice(0, -1) : p), code, fold);
      return code === 'zh' ? text : prefix ? text.trimEnd() : text;
    };
    this.needles = phrases.map((p) => needle(p, false));
    this.folded = code === 'vi' ? phrases.map((p) => needle(p, true)) : this.needles;
  }
  find(m: CueInput): string | undefined {
    return (m.folded ? this.folded : this.needles).find((n) => n.trim() && m.text.includes(n));
  }
  /** Every phrase found in the message (as its needle). */
  findAll(m: CueInput): string[] {
    return (m.folded ? this.folded : this.needles).filter((n) => n.trim() && m.text.includes(n));
  }
  /** Where the last phrase found ends in the message, or -1 when there is none. */
  lastEnd(m: CueInput): number {
    let end = -1;
    for (const n of m.folded ? this.folded : this.needles) {
      const at = n.trim() ? m.text.lastIndexOf(n) : -1;
      if (at >= 0) end = Math.max(end, at + n.length);
    }
    return end;
  }
}

/** What a message in this language names, from languages/<code>/_cues.yaml. */
export interface ForeignCueReading {
  named?: EmergencyKind;
  calm: boolean;
  settled: boolean;
  handoff: boolean;
  facet?: Facet;
  /** Every facet cue found, for the facet model. */
  facets: Facet[];
}

export class ForeignCues {
  private readonly rules: { kind: EmergencyKind; any?: CueSet; all?: CueSet[] }[];
  private readonly calm: CueSet;
  private readonly over: CueSet;
  private readonly handoff: CueSet;
  private readonly facets: { facet: Facet; cues: CueSet }[];
  constructor(
    file: CuesFile,
    private readonly code: ForeignCode,
  ) {
    // Each phrase list is compiled once: with and without diacritics for Vietnamese.
    this.rules = file.emergency.map((r) => ({ kind: r.kind, any: r.any && new CueSet(r.any, code), all: r.all?.map((g) => new CueSet(g, code)) }));
    this.calm = new CueSet([...file.calm, ...file.over], code);
    this.over = new CueSet(file.over, code);
    this.handoff = new CueSet(file.handoff, code);
    this.facets = file.facets.order.map((facet) => ({ facet, cues: new CueSet(file.facets.cues[facet] ?? [], code) }));
  }

  read(raw: string): ForeignCueReading {
    const text = cueInput(raw, this.code);
    const named = this.named(text);
    const facets = this.facets.filter((g) => g.cues.find(text)).map((g) => g.facet);
    return {
      ...(named ? { named } : {}),
      calm: !!this.calm.find(text),
      settled: this.settled(text),
      handoff: !!this.handoff.find(text),
      ...(facets[0] ? { facet: facets[0] } : {}),
      facets,
    };
  }

  private named(text: CueInput): EmergencyKind | undefined {
    return this.rules.find((r) => r.any?.find(text) || r.all?.every((g) => g.find(text)))?.kind;
  }

  /**
   * Over, as in EmergencyDetector (stillOver). A cue ends with the space before the next word: the rest gets it back, as
   * cueText gives every word.
   */
  private settled(text: CueInput): boolean {
    const within = (t: string): CueInput => ({ ...text, text: t.startsWith(' ') ? t : ` ${t}` });
    return stillOver(
      text.text,
      this.over.lastEnd(text),
      (after) => !!this.named(within(after)),
      (t) => this.dangerWords(within(t)),
    );
  }

  private dangerWords(text: CueInput): string[] {
    return this.rules.flatMap((r) => [...(r.any ? [r.any] : []), ...(r.all ?? [])].flatMap((c) => c.findAll(text)));
  }
}
