import i18n from '../i18n';
import { Component, type ReactNode } from 'react';
import { isChunkLoadError } from '../client/lazyChunk';

/**
 * Last line of defence: a rendering bug shows a message and a reload button, never a blank page.
 * A part of the page that failed to download (lazy views retry and report that themselves; this
 * catches any other) is a network problem, not a crash: it says so, and Retry renders again.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (isChunkLoadError(error))
      return (
        <main className="fatal" role="alert">
          <h1>{i18n.t('errors.boundary.chunkTitle')}</h1>
          <p data-testid="app-status" data-state="offline">
            {i18n.t('errors.boundary.chunkText')}
          </p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            {i18n.t('errors.retry')}
          </button>
        </main>
      );
    return (
      <main className="fatal" role="alert">
        <h1>{i18n.t('errors.boundary.title')}</h1>
        <p data-testid="app-status" data-state="error">
          {i18n.t('errors.boundary.text', { message: error.message })}
        </p>
        <button type="button" onClick={() => location.reload()}>
          {i18n.t('errors.boundary.reload')}
        </button>
      </main>
    );
  }
}
