import type { FineTuneSummary } from '../../shared/protocol';

/** 0.967 → "96.7%". */
export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

const or = (x: number | null) => (x === null ? '?' : percent(x));

/** "your digits 70.0% → 95.0%, MNIST test 96.7% → 96.6% (3.1 s)". */
export function fineTuneLine(s: FineTuneSummary): string {
  if (s.run.outcome === 'cancelled') return 'Fine-tuning was cancelled.';
  const stopped = s.run.outcome === 'stopped' ? ' (stopped early)' : '';
  return `Your digits ${or(s.yoursBefore)} → ${or(s.yoursAfter)}, MNIST test ${or(s.testBefore)} → ${or(s.testAfter)}${stopped} · ${(s.run.elapsedMs / 1000).toFixed(1)} s, each of your digits seen ${s.repeats}× among ${s.mnistImages.toLocaleString('en-US')} MNIST images (your digits here: the ones it learned from, so that is training accuracy).`;
}
