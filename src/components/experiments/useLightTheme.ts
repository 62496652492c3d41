/**
 * Whether the system asks for the light theme (charts pick their SVG colours by it, since SVG
 * attributes cannot read CSS variables). The same rule as Curves.tsx, which could use this hook.
 */
import { useSyncExternalStore } from 'react';

const LIGHT_QUERY = '(prefers-color-scheme: light)'; // i18n-ignore: a media query

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia?.(LIGHT_QUERY);
  mq?.addEventListener('change', onChange);
  return () => mq?.removeEventListener('change', onChange);
}

const prefersLight = () => window.matchMedia?.(LIGHT_QUERY).matches ?? false;

export function useLightTheme(): boolean {
  return useSyncExternalStore(subscribe, prefersLight);
}
