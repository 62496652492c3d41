/**
 * Reading a tutorial `.npz` picked by the person into the TF.js layers files the worker imports
 * (shared/kerasWeights.ts does the checking and the folding). Shared by the Python panel and the
 * model library's Import files… (and its drop zone).
 */
import { KerasWeightsError, layersFilesOf, readKerasNpz, sizesText } from '../../shared/kerasWeights';
import { MAX_NPZ_BYTES } from '../../shared/npz';
import type { ModelFiles } from '../../shared/protocol';
import type { Activation } from '../../shared/trainConfig';
import { message, verbatim, type Message } from '../../client/localMessage';

/** Whether a picked file is an `.npz`. */
export const isNpz = (file: { name: string }) => file.name.toLowerCase().endsWith('.npz');

/**
 * The files to import, with a one-line summary ("784 → 64 → 64 → 10, relu"), or the reason it is refused
 * (a message to translate; the checks' own reasons from kerasWeights.ts are technical English, shown as they are).
 * @param activation the hidden layers' activation (the file does not say; the tutorial uses relu).
 */
export async function readNpzFile(
  file: File,
  activation: Activation = 'relu',
): Promise<{ files: ModelFiles; summary: string } | { error: Message }> {
  if (file.size > MAX_NPZ_BYTES)
    return {
      error: message('experiments.npz.tooBig', { size: (file.size / 1e6).toFixed(1), max: (MAX_NPZ_BYTES / 1e6).toFixed(0) }),
    };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    return { error: message('experiments.npz.unreadable', { reason: e instanceof Error ? e.message : String(e) }) };
  }
  try {
    const stack = readKerasNpz(bytes);
    return { files: layersFilesOf(stack, activation), summary: `${sizesText(stack.sizes)}, ${activation}` };
  } catch (e) {
    if (e instanceof KerasWeightsError) return { error: verbatim(e.message) };
    throw e;
  }
}
