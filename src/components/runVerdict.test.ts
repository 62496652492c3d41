import { describe, expect, it } from 'vitest';
import i18n, { setupI18n } from '../i18n';
import { tr } from '../i18n/message';
import { overfitFrom, runVerdict as verdictOf, type EpochPoint, type RunCurves } from './runVerdict';

setupI18n('?lang=en', null, []);
/** The verdict worded in `lang` (the pure module returns messages; the page words them). */
function runVerdict(r: RunCurves, lang: 'en' | 'zh-CN' = 'en') {
  const v = verdictOf(r);
  if (!v) return null;
  const t = i18n.getFixedT(lang);
  return { kind: v.kind, headline: tr(t, v.headline, lang), advice: v.advice && tr(t, v.advice, lang) };
}

const ep = (epoch: number, valAccuracy: number, valLoss: number, trainLoss: number): EpochPoint => ({
  epoch,
  valAccuracy,
  valLoss,
  trainLoss,
});
const run = (over: Partial<RunCurves>): RunCurves => ({
  epochs: [],
  testAccuracy: null,
  nan: false,
  learningRate: 0.001,
  optimizer: 'adam',
  ...over,
});

describe('runVerdict', () => {
  it('calls Adam at 0.1 ending at 11.35% stuck at chance, and says to lower the learning rate', () => {
    const v = runVerdict(run({ epochs: [ep(1, 0.1135, 2.301, 2.302)], testAccuracy: 0.1135, learningRate: 0.1 }))!;
    expect(v.kind).toBe('chance');
    expect(v.headline).toContain('11.4%'); // Intl rounds the decimal 11.35 half up (toFixed gave 11.3 from its binary value)
    expect(v.advice).toMatch(/too high: try 0\.001/);
  });

  it('blames a too-low rate when a run at a small learning rate stays at chance', () => {
    const v = runVerdict(run({ epochs: [ep(1, 0.12, 2.29, 2.3)], testAccuracy: 0.12, learningRate: 0.0001, optimizer: 'sgd' }))!;
    expect(v.kind).toBe('chance');
    expect(v.advice).toMatch(/Too low a learning rate/);
  });

  it('calls SGD at 0.001 after 2 epochs (28.59%) barely learning, with a hint for SGD', () => {
    const v = runVerdict(
      run({ epochs: [ep(1, 0.2, 2.2, 2.25), ep(2, 0.2859, 2.1, 2.15)], testAccuracy: 0.2859, optimizer: 'sgd', learningRate: 0.001 }),
    )!;
    expect(v.kind).toBe('slow');
    expect(v.headline).toContain('28.6% after 2 epochs');
    expect(v.advice).toMatch(/SGD/);
  });

  it('calls the recipe learning well, with no advice at the reference figure', () => {
    const epochs = [ep(1, 0.95, 0.17, 0.3), ep(2, 0.96, 0.13, 0.12), ep(3, 0.965, 0.12, 0.09)];
    const v = runVerdict(run({ epochs, testAccuracy: 0.969 }))!;
    expect(v.kind).toBe('learning');
    expect(v.headline).toContain('96.9%');
    expect(v.advice).toBeNull();
  });

  it('points a short run that learned to the reference figure', () => {
    const v = runVerdict(run({ epochs: [ep(1, 0.88, 0.4, 0.6)], testAccuracy: 0.885 }))!;
    expect(v.kind).toBe('learning');
    expect(v.advice).toMatch(/closer to the reference recipe/);
  });

  it('calls a rising validation loss while training loss falls overfitting', () => {
    const epochs = [ep(1, 0.8, 0.7, 0.9), ep(2, 0.84, 0.6, 0.4), ep(3, 0.84, 0.62, 0.2), ep(4, 0.83, 0.7, 0.1), ep(5, 0.83, 0.8, 0.05)];
    const v = runVerdict(run({ epochs, testAccuracy: 0.83 }))!;
    expect(v.kind).toBe('overfitting');
    expect(v.headline).toContain('0.600 (epoch 2) to 0.800');
    expect(v.advice).toMatch(/Early stopping/);
  });

  it('does not call a wobble overfitting: less than a 10% rise, too recent, or training loss not falling', () => {
    expect(overfitFrom([ep(1, 0.9, 0.3, 0.5), ep(2, 0.9, 0.2, 0.3), ep(3, 0.9, 0.21, 0.2), ep(4, 0.9, 0.215, 0.1)])).toBeNull();
    expect(overfitFrom([ep(1, 0.9, 0.3, 0.5), ep(2, 0.9, 0.25, 0.3), ep(3, 0.9, 0.2, 0.2), ep(4, 0.9, 0.3, 0.1)])).toBeNull();
    expect(overfitFrom([ep(1, 0.9, 0.3, 0.5), ep(2, 0.9, 0.2, 0.3), ep(3, 0.9, 0.3, 0.35), ep(4, 0.9, 0.4, 0.4)])).toBeNull();
    expect(overfitFrom([ep(1, 0.9, 0.3, 0.5), ep(2, 0.9, 0.35, 0.3)])).toBeNull();
  });

  it('puts chance before overfitting: a run at chance is not "memorising"', () => {
    const epochs = [ep(1, 0.11, 2.0, 2.3), ep(2, 0.11, 2.1, 2.2), ep(3, 0.11, 2.4, 2.1)];
    expect(runVerdict(run({ epochs, testAccuracy: 0.11 }))!.kind).toBe('chance');
  });

  it('says NaN when the loss blew up, whatever the curves say', () => {
    const v = runVerdict(run({ nan: true, learningRate: 5, epochs: [ep(1, 0.9, 0.3, 0.3)] }))!;
    expect(v.kind).toBe('nan');
    expect(v.advice).toMatch(/try 0\.001/);
  });

  it('judges a run without a test figure by its last validation accuracy, and says nothing without either', () => {
    expect(runVerdict(run({ epochs: [ep(1, 0.5, 1, 1)] }))!.kind).toBe('slow');
    expect(runVerdict(run({}))).toBeNull();
  });

  it('words the same verdict in Chinese, with the same figures', () => {
    const v = runVerdict(run({ epochs: [ep(1, 0.1135, 2.301, 2.302)], testAccuracy: 0.1135, learningRate: 0.1 }), 'zh-CN')!;
    expect(v.headline).toBe('停在随机水平：11.4% 和瞎猜差不多（10%）。它没有学到东西。');
    expect(v.advice).toContain('0.001');
    const slow = runVerdict(
      run({ epochs: [ep(1, 0.25, 2, 2), ep(2, 0.2859, 1.9, 1.9)], testAccuracy: 0.2859, optimizer: 'sgd' }),
      'zh-CN',
    )!;
    expect(slow.headline).toBe('几乎没学到：2 轮后 28.6%。');
  });
});
