/**
 * A view loaded in its own chunk (client/lazyChunk.ts: fetched with retries): the view once it is
 * here, a placeholder meanwhile, and after every try failed the placeholder with a sentence saying
 * the network failed and a Retry button. Every lazily loaded view of the page goes through here,
 * so a lost network never reaches the page-wide ErrorBoundary: the rest of the page goes on working.
 */
import { useTranslation } from 'react-i18next';
import { useEffect, useSyncExternalStore, type ComponentType, type ReactNode } from 'react';
import { tr } from '../i18n/message';
import type { Chunk } from '../client/lazyChunk';

interface Props<P> {
  chunk: Chunk<ComponentType<P>>;
  props: P;
  /** What stands in for the view, given the failure's sentence and Retry (null while loading). */
  placeholder: (failure: ReactNode) => ReactNode;
  /** The failure's data-testid (`lazy-load-error` unless a view has its own). */
  errorTestId?: string;
}

/** Renders `chunk`'s component with `props` once loaded; `placeholder` (given the failure, if any) meanwhile. */
export function ChunkView<P extends object>({ chunk, props, placeholder, errorTestId = 'lazy-load-error' }: Props<P>) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(chunk.subscribe, chunk.state);
  useEffect(() => chunk.load(), [chunk]);
  if (state.status === 'loaded') {
    const View = state.value;
    return <View {...props} />;
  }
  return placeholder(
    state.status === 'failed' ? (
      <p className="notice lazy-failed" role="alert" data-testid={errorTestId}>
        {tr(t, state.text)}{' '}
        <button type="button" data-testid="lazy-retry" onClick={() => chunk.load()}>
          {t('errors.retry')}
        </button>
      </p>
    ) : null,
  );
}
