import { FeatureIndex } from './feature-index.js';

/**
 * Multinomial logistic regression over sparse binary features: the model that turns a message's features into a
 * probability for each label. Each message's features count equally (the vector is scaled to unit length), so a
 * long message does not out-shout a short one. Trained by AdaGrad with L2 regularisation, in a fixed order drawn
 * from a seeded generator: the same samples give the same weights on every machine and every start.
 */
export interface Sample {
  features: readonly string[];
  label: string;
  /** How much this sample counts (default 1). */
  weight?: number;
}

export interface TrainOptions {
  epochs: number;
  /** AdaGrad's base step. */
  rate: number;
  /** L2 penalty on the weights, per sample seen. */
  l2: number;
  seed: number;
  /** A feature seen in fewer samples than this is dropped (it can only memorise). */
  minCount: number;
}

export const DEFAULT_TRAINING: TrainOptions = { epochs: 20, rate: 0.4, l2: 1e-4, seed: 20261206, minCount: 1 };

const SKIP = 1e-3;

/** mulberry32: a tiny seeded generator, enough for shuffling. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LinearModel {
  /** Each feature's row (the names themselves are kept only for saving the model and looking into it). */
  private readonly index: FeatureIndex;

  private constructor(
    readonly labels: readonly string[],
    /** The feature names, in row order. */
    private readonly features: readonly string[],
    /** Row per feature: weights[f * labels + k]. */
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {
    this.index = FeatureIndex.of(features);
  }

  static train(samples: readonly Sample[], opts: TrainOptions = DEFAULT_TRAINING): LinearModel {
    const labels = [...new Set(samples.map((s) => s.label))].sort();
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const counts = new Map<string, number>();
    for (const s of samples) for (const f of new Set(s.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
    const features = [...counts.keys()].filter((f) => counts.get(f)! >= opts.minCount).sort();
    const index = new Map(features.map((f, i) => [f, i]));
    const K = labels.length;
    const rows = samples.map((s) => {
      const ids = [...new Set(s.features)].map((f) => index.get(f)).filter((i): i is number => i !== undefined);
      return { ids: Int32Array.from(ids), y: labelIndex.get(s.label)!, weight: s.weight ?? 1 };
    });
    const w = new Float32Array(features.length * K);
    const g2 = new Float32Array(features.length * K).fill(1e-8);
    const b = new Float32Array(K);
    const bg2 = new Float32Array(K).fill(1e-8);
    const order = rows.map((_, i) => i);
    const rand = random(opts.seed);
    const z = new Float64Array(K);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const n of order) {
        const { ids, y, weight } = rows[n]!;
        if (!ids.length) continue;
        const x = 1 / Math.sqrt(ids.length);
        softmaxInto(z, ids, x, w, b, K);
        for (let k = 0; k < K; k++) {
          const grad = weight * (z[k]! - (k === y ? 1 : 0));
          // Labels the sample already rules out (p ≈ 0) would move nothing: skipping them is most of the speed.
          if (grad > -SKIP && grad < SKIP) continue;
          bg2[k]! += grad * grad;
          b[k]! -= (opts.rate * grad) / Math.sqrt(bg2[k]!);
          for (const f of ids) {
            const at = f * K + k;
            const gw = grad * x + opts.l2 * w[at]!;
            g2[at]! += gw * gw;
            w[at]! -= (opts.rate * gw) / Math.sqrt(g2[at]!);
          }
        }
      }
    }
    return new LinearModel(labels, features, w, b);
  }

  /** One buffer: the header's length (4 bytes), the header (labels and features, JSON), then weights and biases. */
  toBytes(): Buffer {
    const header = Buffer.from(JSON.stringify({ labels: this.labels, features: this.features }));
    const out = Buffer.alloc(4 + header.length + (this.weights.length + this.bias.length) * 4);
    out.writeUInt32LE(header.length, 0);
    header.copy(out, 4);
    let at = 4 + header.length;
    for (const a of [this.weights, this.bias]) {
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
      at += a.byteLength;
    }
    return out;
  }

  static fromBytes(bytes: Buffer): LinearModel {
    let at = 0;
    return LinearModel.read(bytes.length, (into) => {
      if (at + into.length > bytes.length) throw new Error('model file is truncated');
      into.set(bytes.subarray(at, at + into.length));
      at += into.length;
    });
  }

  /**
   * A model in toBytes' layout from something read in order (a file): the weights are read straight into their own
   * exactly-sized arrays, so loading never holds the whole file besides them (for the largest model ≈ 10 MB more
   * at every start-up, left for the garbage collector).
   */
  static read(size: number, readInto: (into: Uint8Array) => void): LinearModel {
    const length = new Uint8Array(4);
    readInto(length);
    const n = Buffer.from(length.buffer).readUInt32LE(0);
    if (n > size - 4) throw new Error('model file has the wrong size');
    const header = new Uint8Array(n);
    readInto(header);
    const { labels, features } = JSON.parse(Buffer.from(header.buffer).toString('utf8')) as { labels: string[]; features: string[] };
    const K = labels.length;
    if (size !== 4 + n + (features.length * K + K) * 4) throw new Error('model file has the wrong size');
    const floats = (count: number) => {
      const out = new Float32Array(count);
      readInto(new Uint8Array(out.buffer));
      return out;
    };
    const weights = floats(features.length * K);
    return new LinearModel(labels, features, weights, floats(K));
  }

  /** Probability of each label (in `labels` order); features the model never saw are ignored. */
  predict(features: readonly string[]): Float64Array {
    const ids: number[] = [];
    const unique = new Set(features);
    for (const f of unique) {
      const i = this.index.get(f);
      if (i !== undefined) ids.push(i);
    }
    return this.predictRows(ids, unique.size);
  }

  /**
   * The same, from the rows of a message's known features (see `rows`), found by the caller, and the number of its
   * distinct features, known or not: several models reading one message look each feature up once (see Understanding).
   */
  predictRows(rows: ArrayLike<number>, distinct: number): Float64Array {
    const z = new Float64Array(this.labels.length);
    // Unknown features count in the length: a message mostly about something never seen is less certain.
    softmaxInto(z, rows, rows.length ? 1 / Math.sqrt(distinct) : 0, this.weights, this.bias, this.labels.length);
    return z;
  }

  /** Each known feature with its row. */
  *rows(): IterableIterator<[string, number]> {
    for (let i = 0; i < this.features.length; i++) yield [this.features[i]!, i];
  }

  /** A feature's row, if the model knows it. */
  rowOf(feature: string): number | undefined {
    return this.index.get(feature);
  }

  /** How many features the model knows. */
  get size(): number {
    return this.features.length;
  }

  /** The features that push this label up the most, with their weights (for looking into a decision). */
  explain(features: readonly string[], label: string, top = 10): [string, number][] {
    const k = this.labels.indexOf(label);
    const out: [string, number][] = [];
    for (const f of new Set(features)) {
      const i = this.index.get(f);
      if (i !== undefined && k >= 0) out.push([f, this.weights[i * this.labels.length + k]!]);
    }
    return out.sort((a, b) => b[1] - a[1]).slice(0, top);
  }

  /** The features the model knows, in row order. */
  featureNames(): Iterable<string> {
    return this.features;
  }

  /** How many of these features the model knows (a message made only of unknown words is not understood). */
  known(features: readonly string[]): number {
    let n = 0;
    for (const f of new Set(features)) if (this.index.get(f) !== undefined) n++;
    return n;
  }
}

function softmaxInto(z: Float64Array, ids: ArrayLike<number>, x: number, w: Float32Array, b: Float32Array, K: number) {
  for (let k = 0; k < K; k++) z[k] = b[k]!;
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i]! * K;
    for (let k = 0; k < K; k++) z[k]! += w[row + k]! * x;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (z[k]! > max) max = z[k]!;
  let sum = 0;
  for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
  for (let k = 0; k < K; k++) z[k]! /= sum;
}
