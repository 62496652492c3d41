import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './client/serviceWorker';
import { ErrorBoundary } from './components/ErrorBoundary';
import { UpdateBanner } from './components/UpdateBanner';
import { setupI18n } from './i18n';
import './styles.css';

// The language for this visit (?lang=, the kept choice, or the browser's), before the first paint.
setupI18n();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
    <UpdateBanner />
  </StrictMode>,
);

// Offline use, cross-origin isolation on static hosts, update notices (built app only).
if (import.meta.env.PROD) void registerServiceWorker();
