import { describe, expect, it } from 'vitest';
import { calibration } from '../../../src/core/evaluation/calibration.js';

const at = (p: number, right: boolean) => ({ p, right, chars: 10 });

describe('calibration', () => {
  it('is perfect when each bin is right as often as its probabilities say', () => {
    const c = calibration([at(1, true), at(1, true), at(0.25, true), at(0.25, false), at(0.25, false), at(0.25, false)]);
    expect(c.ece).toBeCloseTo(0, 10);
    expect(c.bins.map((b) => [b.from, b.n])).toEqual([
      [0.2, 4],
      [0.9, 2],
    ]);
  });
  it('weighs each bin’s gap by its share of the readings', () => {
    // 0.9 said, 0.5 right (gap 0.4, half the readings); 0.3 said and right (gap 0.7, the other half).
    const c = calibration([at(0.9, true), at(0.9, false), at(0.3, true), at(0.3, true)]);
    expect(c.ece).toBeCloseTo(0.5 * 0.4 + 0.5 * 0.7, 10);
  });
  it('puts a probability of 1 in the last bin, and reads nothing from no readings', () => {
    expect(calibration([at(1, true)]).bins).toEqual([{ from: 0.9, to: 1, n: 1, confidence: 1, accuracy: 1 }]);
    expect(calibration([])).toEqual({ n: 0, ece: 0, bins: [] });
  });
});
