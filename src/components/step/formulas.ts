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
  return `\\mathbf{h}_{${n}} = ${ACTIVATION_TEX[activation]}\\left(W_{${n}}\\,${input} + \\mathbf{b}_{${n}}\\right)`;
}

/** The output layer after `hidden` hidden layers: logits and softmax. */
export function outputTex(hidden: number): string {
  const input = hidden === 0 ? '\\mathbf{x}' : `\\mathbf{h}_{${hidden}}`;
  const n = hidden + 1;
  return `\\mathbf{z} = W_{${n}}\\,${input} + \\mathbf{b}_{${n}}, \\qquad p_k = \\frac{e^{z_k}}{\\sum_{j=0}^{9} e^{z_j}}`;
}

/** The loss with its numbers: L = −log p_y = −log(p) = loss. */
export function lossTex(label: number, p: string, loss: string): string {
  return `L = -\\log p_{${label}} = -\\log(${p}) = ${loss}`;
}

/** The error at the output and how it is carried back to a hidden layer. */
export function backwardTex(activation: Activation): string {
  const f = ACTIVATION_TEX[activation];
  return `\\boldsymbol{\\delta}_{\\mathrm{out}} = \\mathbf{p} - \\mathbf{e}_y, \\qquad \\boldsymbol{\\delta}_{l} = \\left(W_{l+1}^{\\top}\\boldsymbol{\\delta}_{l+1}\\right) \\odot ${f}'(\\mathbf{z}_{l})`;
}

/** The first layer's weight gradient: the input times that layer's error. */
export const FIRST_GRADIENT_TEX = '\\frac{\\partial L}{\\partial W_1} = \\boldsymbol{\\delta}_1\\,\\mathbf{x}^{\\top}';

/** The optimizer's update, as optimizer.ts and the kernel compute it (Keras' defaults). */
export function updateTex(optimizer: Optimizer): string {
  switch (optimizer) {
    case 'sgd':
      return 'W \\leftarrow W - \\eta\\, g, \\qquad g = \\frac{\\partial L}{\\partial W}';
    case 'rmsprop':
      return 'v \\leftarrow 0.9\\,v + 0.1\\,g^2, \\qquad W \\leftarrow W - \\eta\\,\\frac{g}{\\sqrt{v} + 10^{-7}}';
    case 'adam':
      return 'm \\leftarrow 0.9\\,m + 0.1\\,g, \\quad v \\leftarrow 0.999\\,v + 0.001\\,g^2, \\quad W \\leftarrow W - \\eta_t\\,\\frac{m}{\\sqrt{v} + 10^{-7}}, \\quad \\eta_t = \\eta\\,\\frac{\\sqrt{1-0.999^t}}{1-0.9^t}';
  }
}
