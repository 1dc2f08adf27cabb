/** One message's top reading: the probability the model gave it, whether it was right, and the message's length. */
export interface Reading {
  p: number;
  right: boolean;
  chars: number;
}

export interface Bin {
  /** The bin holds probabilities in [from, to). */
  from: number;
  to: number;
  n: number;
  /** The mean probability in the bin, and how often those readings were right. */
  confidence: number;
  accuracy: number;
}

export interface Calibration {
  n: number;
  /** Expected calibration error: the bins' |confidence − accuracy|, weighted by their share of readings. */
  ece: number;
  bins: Bin[];
}

/** How well probabilities match how often they are right, in equal-width bins (the last includes 1). */
export function calibration(readings: readonly Reading[], bins = 10): Calibration {
  const out: Bin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = readings.filter((r) => r.p >= from && (r.p < to || (b === bins - 1 && r.p <= to)));
    if (!inBin.length) continue;
    const confidence = inBin.reduce((a, r) => a + r.p, 0) / inBin.length;
    const accuracy = inBin.filter((r) => r.right).length / inBin.length;
    ece += (inBin.length / readings.length) * Math.abs(confidence - accuracy);
    out.push({ from, to, n: inBin.length, confidence, accuracy });
  }
  return { n: readings.length, ece, bins: out };
}
