/**
 * The formulas of the four stages in TeX (KaTeX renders them), written from the model's own
 * activation, optimizer and numbers. Pure.
 */
import type { Activation, Optimizer } from '../../shared/trainConfig';

const ACTIVATION_TEX: Record<Activation, string> = {
  relu: '\\operatorname{relu}',
  tanh: '\\tanh',
  sigmoid: '\\sigma',
  elu: '\\operatorname{elu}',
};

/** The hidden layer `n` (1-based): h_n = f(W_n · h_{n−1} + b_n), with h_0 = x. */
export function hiddenLayerTex(n: number, activation: Activation): string {
  const input = n === 1 ? '\\mathbf{x}' : `\\mathbf{h}_{${n - 1}}`;
  return `\\mathbf{h}_{${n}} = ${ACTIVATION_TEX[activation]}(W_{${n}}\\,${input} + \\mathbf{b}_{${n}})`;
}

/** The output layer after `hidden` hidden layers: logits and softmax. */
export function outputTex(hidden: number): string {
  const input = hidden === 0 ? '\\mathbf{x}' : `\\mathbf{h}_{${hidden}}`;
  const n = hidden + 1;
  return `\\mathbf{z} = W_{${n}}\\,${input} + \\mathbf{b}_{${n}}, \\qquad p_k = \\frac{e^{z_k}}{\\sum_{j=0}^{9} e^{z_j}}`;
}

/** A number for TeX: 4 significant digits, or m × 10^e below 0.001 (a confident reading's loss). */
export function texNumber(x: number): string {
  if (x === 0 || !Number.isFinite(x) || Math.abs(x) >= 1e-3) return Number(x.toPrecision(4)).toString();
  const [m, e] = x.toExponential(2).split('e');
  return `${m}\\times 10^{${Number(e)}}`;
}

/** The loss with its numbers: L = −log p_y = −log(p) = loss. */
export function lossTex(label: number, p: string, loss: string): string {
  return `L = -\\log p_{${label}} = -\\log(${p}) = ${loss}`;
}

/** The error at the output and how it is carried back to a hidden layer (two lines: they fit a phone). */
export function backwardTex(activation: Activation): string[] {
  const f = ACTIVATION_TEX[activation];
  return [
    '\\boldsymbol{\\delta}_{\\mathrm{out}} = \\mathbf{p} - \\mathbf{e}_y',
    `\\boldsymbol{\\delta}_{l} = (W_{l+1}^{\\top}\\boldsymbol{\\delta}_{l+1}) \\odot ${f}'(\\mathbf{z}_{l})`,
  ];
}

/** The first layer's weight gradient: the input times that layer's error. */
export const FIRST_GRADIENT_TEX = '\\frac{\\partial L}{\\partial W_1} = \\boldsymbol{\\delta}_1\\,\\mathbf{x}^{\\top}';

/** The optimizer's update, as optimizer.ts and the kernel compute it (Keras' defaults), one short line each (they fit a phone). */
export function updateTex(optimizer: Optimizer): string[] {
  const g = 'g = \\frac{\\partial L}{\\partial W}';
  switch (optimizer) {
    case 'sgd':
      return [`W \\leftarrow W - \\eta\\, g, \\qquad ${g}`];
    case 'rmsprop':
      return [`v \\leftarrow 0.9\\,v + 0.1\\,g^2, \\qquad ${g}`, 'W \\leftarrow W - \\eta\\,\\frac{g}{\\sqrt{v} + 10^{-7}}'];
    case 'adam':
      return [
        `m \\leftarrow 0.9\\,m + 0.1\\,g, \\qquad ${g}`,
        'v \\leftarrow 0.999\\,v + 0.001\\,g^2',
        'W \\leftarrow W - \\eta_t\\,\\frac{m}{\\sqrt{v} + 10^{-7}}, \\qquad \\eta_t = \\eta\\,\\frac{\\sqrt{1-0.999^t}}{1-0.9^t}',
      ];
  }
}
