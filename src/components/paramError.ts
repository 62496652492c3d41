/** A form field's error in the reader's language (a pure function, so it is tested without React). */
import type { TFunction } from 'i18next';
import type { ConfigError, ConfigKey } from '../shared/trainConfig';

/** The form's error in the reader's language: `params.error.<code>` with the field's label. */
export function errorText(t: TFunction, key: ConfigKey, e: ConfigError): string {
  const label = t(`params.${key}.label`);
  switch (e.code) {
    case 'floatRange':
      return t('params.error.floatRange', {
        label,
        low: t(e.minExclusive ? 'params.error.above' : 'params.error.atLeast', { n: e.min }),
        high: t(e.maxExclusive ? 'params.error.below' : 'params.error.atMost', { n: e.max }),
      });
    case 'oneOf':
      return t('params.error.oneOf', { label, options: e.options.join(', ') });
    case 'intRange':
    case 'layerRange':
      return t(`params.error.${e.code}`, { label, min: e.min, max: e.max });
    case 'maxLayers':
      return t('params.error.maxLayers', { label, max: e.max });
    default:
      return t(`params.error.${e.code}`, { label });
  }
}
