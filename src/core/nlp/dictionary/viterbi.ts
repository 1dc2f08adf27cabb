import { BOS, type FlatLattice } from './flat-lattice.js';
import type { ConnectionCosts } from './kuromoji-internals.js';

/**
 * kuromoji's ViterbiSearcher.search over a FlatLattice: the same best path, node for node, without the ViterbiNode
 * objects or a method call per connection cost.
 *
 * Exactness rests on doing what forward() does in its order: end positions ascending, each one's nodes in append
 * order, each node's predecessors (the nodes ending just before its start) in append order, keeping the first of
 * equal costs (strict <), with costs summed as doubles in the library's order from Number.MAX_VALUE. Its quirks
 * are kept: a node whose start has no predecessors is skipped (prev null, cost MAX_VALUE); the best predecessor is
 * one `var` for the whole pass, so a node none of whose predecessors beats MAX_VALUE (they are all unreachable) gets
 * as prev whichever node was chosen last, for any node (plain sentences such as こんしぇるじゅ have such nodes,
 * though off the best path in the tests' corpus); in an empty sentence EOS is its own only predecessor.
 * backward() then follows prev from EOS to BOS, each step to an earlier end position, and gives an empty path where
 * a prev is missing.
 */
export class ViterbiSearch {
  /** The best path's nodes, in order, in path[0 .. the length search returned). */
  path = new Int32Array(64);
  private readonly costs: Int16Array;
  private readonly backwardDim: number;
  /** Right ids whose row the buffer holds: get() throws past its end. */
  private readonly rows: number;

  /** Reads the matrix as ConnectionCosts.get does: buffer[right id × backward_dimension + left id + 2]. */
  constructor(connectionCosts: ConnectionCosts) {
    this.costs = connectionCosts.buffer;
    this.backwardDim = connectionCosts.backward_dimension;
    this.rows = this.backwardDim > 0 ? Math.floor((this.costs.length - 2) / this.backwardDim) : 0;
  }

  /**
   * The length of the best path, or undefined where a node's context id is outside the matrix (never in IPADIC; the
   * library would throw, or read a neighbouring row or before the start): the caller then runs the library's search.
   */
  search(lattice: FlatLattice): number | undefined {
    return this.forward(lattice) ? this.backward(lattice) : undefined;
  }

  private forward(lattice: FlatLattice): boolean {
    const { costs, backwardDim, rows } = this;
    const { firstAt, next, startPos, leftId, rightId, cost, shortest, prev, eosPos } = lattice;
    let best = -1;
    for (let end = 1; end <= eosPos; end++) {
      for (let node = firstAt[end]!; node >= 0; node = next[node]!) {
        const left = leftId[node]!;
        // Its right id is read later, when it is a predecessor: every node passes here first but BOS, whose ids (0, 0)
        // are EOS's too.
        if (!(left >= 0 && left < backwardDim && rightId[node]! >= 0 && rightId[node]! < rows)) return false;
        let p = firstAt[startPos[node]! - 1]!;
        if (p < 0) continue;
        const column = left + 2;
        const own = cost[node]!;
        let min = Number.MAX_VALUE;
        for (; p >= 0; p = next[p]!) {
          const c = shortest[p]! + costs[rightId[p]! * backwardDim + column]! + own;
          if (c < min) {
            best = p;
            min = c;
          }
        }
        prev[node] = best;
        shortest[node] = min;
      }
    }
    return true;
  }

  private backward(lattice: FlatLattice): number {
    const { prev, type } = lattice;
    let n = 0;
    let node = prev[lattice.eos]!;
    if (node < 0) return 0;
    while (type[node] !== BOS) {
      if (n === this.path.length) {
        const path = new Int32Array(n * 2);
        path.set(this.path);
        this.path = path;
      }
      this.path[n++] = node;
      node = prev[node]!;
      if (node < 0) return 0;
    }
    const path = this.path;
    for (let a = 0, b = n - 1; a < b; a++, b--) {
      const t = path[a]!;
      path[a] = path[b]!;
      path[b] = t;
    }
    return n;
  }
}
