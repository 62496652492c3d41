/** The model library's small helpers: a saved model's settings and date in words, and joining weight shards. */
import type { TFunction } from 'i18next';
import { currentLanguage } from '../../i18n';
import type { TrainConfig } from '../../shared/trainConfig';

/** "64-64 relu · adam 0.001 · 10 epochs" (in the language of `t`). */
export function configSummary(t: TFunction, config: TrainConfig | null | undefined): string {
  if (!config) return t('insight.library.unknownConfig');
  const layers = config.hiddenUnits.length ? `${config.hiddenUnits.join('-')} ${config.activation}` : t('insight.library.noHidden');
  return `${layers} · ${config.optimizer} ${config.learningRate} · ${t('insight.library.epochs', { count: config.epochs })}`;
}

/** A date and time in the reader's language. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** The weight shards of a model, as one buffer. */
export function concat(parts: ArrayBuffer[]): ArrayBuffer {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
