/**
 * Words that stay as they are in every language: names with no translation (the list and
 * the page's own technical names). Used by the literal scan and by the zh-CN e2e.
 */
export const UNTRANSLATED_WORDS: readonly string[] = [
  'MNIST',
  'Adam',
  'SGD',
  'RMSprop',
  'ReLU',
  'relu',
  'tanh',
  'sigmoid',
  'ELU',
  'elu',
  'softmax',
  'WebGL',
  'WebGL2',
  'WebGPU',
  'WASM',
  'WebAssembly',
  'SIMD',
  'CPU',
  'GPU',
  'PNG',
  'JSON',
  'CSV',
  'npz',
  'bin',
  'Keras',
  'Python',
  'NumPy',
  'TensorFlow',
  'TF',
  'js',
  'tf',
  'KaTeX',
  'IndexedDB',
  'URL',
  'LeCun',
  'Cortes',
  'Burges',
  'OK',
  'ms',
  'KB',
  'MB',
  'GB',
  'px',
  // scikit-learn's class the tutorial standardises pixels with (the snippet saves it by name)
  'StandardScaler',
  // language codes and the parameter that takes them
  'lang',
  'en',
  'zh',
  'CN',
];

const ALLOWED = new Set(UNTRANSLATED_WORDS.map((w) => w.toLowerCase()));

/** The words of `text` (runs of Latin letters) that are not on the allow-list. */
export function englishWords(text: string): string[] {
  return (text.match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED.has(w.toLowerCase()) && !/^[A-Za-z]$/.test(w));
}
