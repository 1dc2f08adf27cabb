/**
 * Feature names to their rows, found by two independent 32-bit hashes of the name in flat typed arrays (open
 * addressing, linear probing, at most half full).
 *
 * Why not a Map: reading a message looks up ~100 freshly made feature strings in indexes of tens of thousands of
 * names, and that lookup was the largest single cost of a decision (a third of `Understanding.read`). A Map compares
 * the strings themselves, in memory scattered over the heap; here a probe touches three arrays at one position.
 *
 * Two names are taken for one only if both hashes agree (64 bits): among the known names that is checked when the
 * index is built, and for a name the index does not know the odds are ~10⁻¹⁴ per lookup.
 */
export class FeatureIndex {
  private constructor(
    private readonly first: Uint32Array,
    private readonly second: Uint32Array,
    /** Row + 1 at each position (0: empty). */
    private readonly rows: Int32Array,
    readonly size: number,
  ) {}

  /** The index of these names, each at its position in the list. */
  static of(names: readonly string[]): FeatureIndex {
    let capacity = 16;
    while (capacity < names.length * 2) capacity *= 2;
    const first = new Uint32Array(capacity);
    const second = new Uint32Array(capacity);
    const rows = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let row = 0; row < names.length; row++) {
      const name = names[row]!;
      const a = hashA(name);
      const b = hashB(name);
      let at = a & mask;
      while (rows[at] !== 0) {
        if (first[at] === a && second[at] === b) throw new Error(`feature index: "${name}" and "${names[rows[at]! - 1]}" hash alike (or are one name twice)`);
        at = (at + 1) & mask;
      }
      first[at] = a;
      second[at] = b;
      rows[at] = row + 1;
    }
    return new FeatureIndex(first, second, rows, names.length);
  }

  /** The name's row, if the index holds it. */
  get(name: string): number | undefined {
    const a = hashA(name);
    const b = hashB(name);
    const mask = this.rows.length - 1;
    for (let at = a & mask; ; at = (at + 1) & mask) {
      const row = this.rows[at]!;
      if (row === 0) return undefined;
      if (this.first[at] === a && this.second[at] === b) return row - 1;
    }
  }
}

/** FNV-1a over UTF-16 code units. */
function hashA(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // Spread the last characters into the low bits the position is taken from.
  h ^= h >>> 15;
  return h >>> 0;
}

/** A multiply-xorshift hash with another seed and multiplier, independent enough of hashA to check it. */
function hashB(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  return h >>> 0;
}
