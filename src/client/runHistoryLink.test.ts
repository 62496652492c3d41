import { describe, expect, it } from 'vitest';
import { configFromQuery, DEFAULT_CONFIG } from '../shared/trainConfig';
import { encodeSummary, parseSummary, runLink, sharedRunFromQuery, summaryOf, type SharedRunSummary } from './runHistoryLink';
import { englishText } from './localMessage';

const summary: SharedRunSummary = { testAccuracy: 0.9669, testLoss: 0.19609, epochsRun: 10, state: 'done', seconds: 14.83 };

describe('a run as a link', () => {
  it('carries the configuration and a compact, readable result that reads back', () => {
    const link = runLink('http://localhost:4205/app/?debug=1#x', { ...DEFAULT_CONFIG, optimizer: 'sgd', trainSize: 600 }, summary);
    expect(link).toBe('http://localhost:4205/app/?optimizer=sgd&trainSize=600&run=96.69_0.1961_10_d_14.8');
    const url = new URL(link);
    expect(configFromQuery(url.search).config).toMatchObject({ optimizer: 'sgd', trainSize: 600, epochs: 10 });
    const back = sharedRunFromQuery(url.search);
    expect(back).toEqual({ summary: { testAccuracy: 0.9669, testLoss: 0.1961, epochsRun: 10, state: 'done', seconds: 14.8 } });
    expect(encodeSummary({ ...summary, epochsRun: 2.5, state: 'stopped' })).toBe('96.69_0.1961_2.50_s_14.8');
  });

  it('has no result for a failed run or one without a test evaluation', () => {
    expect(summaryOf({ state: 'failed', test: { loss: 1, accuracy: 0.5, perClass: [] }, epochsRun: 1, elapsedMs: 1 })).toBeNull();
    expect(summaryOf({ state: 'stopped', test: null, epochsRun: 1, elapsedMs: 1 })).toBeNull();
    expect(runLink('http://h/', DEFAULT_CONFIG, null)).toBe('http://h/');
  });

  it('refuses malformed or out-of-range results with a reason, and ignores a link without one', () => {
    for (const bad of [
      '',
      '96.9',
      '96.9_0.1_10_x_1',
      '101_0.1_10_d_1',
      '96_0.1_0_d_1',
      '96_0.1_1_d_9999999',
      '1e3_0_1_d_1',
      '<script>',
      'NaN_0_1_d_1',
    ]) {
      const r = parseSummary(bad);
      expect('error' in r && englishText(r.error), bad).toMatch(/ignored/);
      expect('error' in r && r.error.key, bad).toBe('experiments.link.ignored');
    }
    expect(sharedRunFromQuery('?epochs=1')).toBeNull();
    expect(sharedRunFromQuery('?run=' + '9'.repeat(5000))).toMatchObject({ error: { key: 'experiments.link.ignored' } });
  });
});
