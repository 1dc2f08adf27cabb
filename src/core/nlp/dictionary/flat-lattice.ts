/** Node types, indexing TYPE_NAMES (kuromoji's ViterbiNode.type strings). */
export const KNOWN = 0;
export const UNKNOWN = 1;
export const BOS = 2;
export const EOS = 3;
export const TYPE_NAMES = ['KNOWN', 'UNKNOWN', 'BOS', 'EOS'] as const;

const NONE = -1;

/**
 * kuromoji's ViterbiLattice with its ViterbiNodes as columns of typed arrays, reused from sentence to sentence (they
 * grow, never shrink; ~45 bytes a node, a few nodes a character): the library allocates a node object per candidate
 * word and an array per end position for every sentence. A node is its index, in append order; node 0 is BOS.
 * `nodes_end_at[end]` becomes a linked list (firstAt, lastAt, next) that keeps append order, which the search's
 * tie-breaking depends on. A node's surface is the sentence's UTF-16 range [from, to), cut only for the tokens that
 * need it.
 */
export class FlatLattice {
  size = 0;
  /** kuromoji's eos_pos. */
  eosPos = 1;
  /** nodes_end_at.length: one past the last end position in use, where appendEos puts the EOS. */
  ends = 1;
  /** The EOS node, once appended. */
  eos = NONE;

  name = new Int32Array(256);
  cost = new Int32Array(256);
  startPos = new Int32Array(256);
  type = new Uint8Array(256);
  leftId = new Int32Array(256);
  rightId = new Int32Array(256);
  from = new Int32Array(256);
  to = new Int32Array(256);
  /** The next node with the same end position, NONE after the last. */
  next = new Int32Array(256);
  /** Written by the search: kuromoji's shortest_cost (a double, as there) and prev (NONE for null or undefined). */
  shortest = new Float64Array(256);
  prev = new Int32Array(256);

  /** Per end position: its first and last node, NONE where nodes_end_at has no array. */
  firstAt = new Int32Array(256).fill(NONE);
  lastAt = new Int32Array(256);

  /** Empties the lattice and appends BOS, as `new ViterbiLattice()`. */
  reset(): void {
    // Only the end positions the previous sentence used (below its nodes_end_at.length) need clearing.
    this.firstAt.fill(NONE, 0, this.ends);
    this.size = 0;
    this.eosPos = 1;
    this.ends = 1;
    this.eos = NONE;
    this.push(-1, 0, 0, BOS, 0, 0, 0, 0, 0);
    this.shortest[0] = 0;
  }

  /** ViterbiLattice.append of `new ViterbiNode(name, cost, startPos, length, type, leftId, rightId, surface)`. */
  append(name: number, cost: number, startPos: number, length: number, type: number, leftId: number, rightId: number, from: number, to: number): void {
    const end = startPos + length - 1;
    if (this.eosPos < end) this.eosPos = end;
    if (this.ends <= end) this.ends = end + 1;
    this.push(name, cost, startPos, type, leftId, rightId, from, to, end);
  }

  /** ViterbiLattice.appendEos: EOS starts at the incremented eos_pos but is filed at nodes_end_at.length. */
  appendEos(): void {
    this.eosPos++;
    this.eos = this.size;
    this.push(-1, 0, this.eosPos, EOS, 0, 0, 0, 0, this.ends);
    this.ends++;
  }

  private push(name: number, cost: number, startPos: number, type: number, leftId: number, rightId: number, from: number, to: number, end: number): void {
    const k = this.size++;
    if (k === this.name.length) this.growNodes();
    // The search reads the end positions up to eos_pos and the one before each node's start.
    if (Math.max(end, this.eosPos) >= this.firstAt.length) this.growEnds(Math.max(end, this.eosPos) + 1);
    this.name[k] = name;
    this.cost[k] = cost;
    this.startPos[k] = startPos;
    this.type[k] = type;
    this.leftId[k] = leftId;
    this.rightId[k] = rightId;
    this.from[k] = from;
    this.to[k] = to;
    this.next[k] = NONE;
    this.shortest[k] = Number.MAX_VALUE;
    this.prev[k] = NONE;
    if (this.firstAt[end] === NONE) this.firstAt[end] = k;
    else this.next[this.lastAt[end]!] = k;
    this.lastAt[end] = k;
  }

  private growNodes(): void {
    const n = this.name.length * 2;
    this.name = grown(this.name, n);
    this.cost = grown(this.cost, n);
    this.startPos = grown(this.startPos, n);
    this.type = grown(this.type, n);
    this.leftId = grown(this.leftId, n);
    this.rightId = grown(this.rightId, n);
    this.from = grown(this.from, n);
    this.to = grown(this.to, n);
    this.next = grown(this.next, n);
    this.shortest = grown(this.shortest, n);
    this.prev = grown(this.prev, n);
  }

  private growEnds(atLeast: number): void {
    let n = this.firstAt.length * 2;
    while (n < atLeast) n *= 2;
    const firstAt = grown(this.firstAt, n);
    firstAt.fill(NONE, this.firstAt.length);
    this.firstAt = firstAt;
    this.lastAt = grown(this.lastAt, n);
  }
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a as never);
  return b;
}
