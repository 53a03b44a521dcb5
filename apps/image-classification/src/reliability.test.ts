import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, reliabilityBins, reliabilitySvg } from './reliability.js';

describe('reliabilityBins', () => {
  it('bins top-1 confidences and measures the accuracy in each bin', () => {
    const bins = reliabilityBins([0.05, 0.95, 0.91, 0.55, 1], [false, true, false, true, true], 10);
    expect(bins[0]).toMatchObject({ count: 1, accuracy: 0, confidence: 0.05 });
    expect(bins[5]).toMatchObject({ count: 1, accuracy: 1, confidence: 0.55 });
    expect(bins[9]!.count).toBe(3); // 0.95, 0.91 and 1 (the top edge joins the last bin)
    expect(bins[9]!.accuracy).toBeCloseTo(2 / 3, 12);
    // ECE = Σ n_b/N · |acc_b − conf_b| = (0.05 + 0.45 + 3·|2/3 − 0.9533…|) / 5
    const conf9 = (0.95 + 0.91 + 1) / 3;
    expect(expectedCalibrationError(bins)).toBeCloseTo((0.05 + 0.45 + 3 * Math.abs(2 / 3 - conf9)) / 5, 12);
    expect(reliabilitySvg(bins)).toContain('ECE 0.');
  });
});
