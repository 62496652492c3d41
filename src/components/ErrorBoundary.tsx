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
          <h1>Part of the page did not load</h1>
          <p data-testid="app-status" data-state="offline">
            The network failed while the page was loading. Check the connection, then retry.
          </p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Retry
          </button>
        </main>
      );
    return (
      <main className="fatal" role="alert">
        <h1>Something went wrong</h1>
        <p data-testid="app-status" data-state="error">
          The page hit an unexpected error: {error.message}
        </p>
        <button type="button" onClick={() => location.reload()}>
          Reload the page
        </button>
      </main>
    );
  }
}
