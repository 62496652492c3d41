import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { backwardTex, FIRST_GRADIENT_TEX, hiddenLayerTex, lossTex, outputTex, texNumber, updateTex } from './formulas';

describe('the step view formulas', () => {
  const all = [
    ...(['relu', 'tanh', 'sigmoid', 'elu'] as const).flatMap((a) => [hiddenLayerTex(1, a), hiddenLayerTex(2, a), ...backwardTex(a)]),
    outputTex(2),
    outputTex(0),
    lossTex(3, '0.123', '2.096'),
    lossTex(3, texNumber(1), texNumber(3.14e-9)),
    FIRST_GRADIENT_TEX,
    ...(['adam', 'sgd', 'rmsprop'] as const).flatMap(updateTex),
  ];

  it('are all valid TeX for KaTeX', () => {
    for (const tex of all) expect(() => katex.renderToString(tex, { throwOnError: true }), tex).not.toThrow();
  });

  it('name the layer, its input and the activation', () => {
    expect(hiddenLayerTex(1, 'relu')).toContain('\\mathbf{x}');
    expect(hiddenLayerTex(2, 'tanh')).toContain('\\mathbf{h}_{1}');
    expect(hiddenLayerTex(2, 'tanh')).toContain('\\tanh');
    expect(outputTex(2)).toContain('W_{3}');
    expect(lossTex(7, '0.5', '0.693')).toBe('L = -\\log p_{7} = -\\log(0.5) = 0.693');
    expect(updateTex('adam').join()).toContain('0.999');
    expect(texNumber(2.0964)).toBe('2.096');
    expect(texNumber(3.14159e-9)).toBe('3.14\\times 10^{-9}');
    expect(texNumber(1)).toBe('1');
  });
});
