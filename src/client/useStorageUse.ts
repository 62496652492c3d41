/**
 * How much this page keeps in the browser (`navigator.storage.estimate()`) and whether the
 * browser promised to keep it (`navigator.storage.persisted()`), read again whenever any tab
 * changes a store and once the service worker (which stores the offline copy) is active.
 */
import { useEffect, useState } from 'react';
import i18n from '../i18n';
import { msg, tr, type Msg } from '../i18n/message';
import { formatBytes, onStoreChange, storageUsage } from '../shared/browserStorage';

export interface StorageUse {
  /** Bytes this origin uses (models, digits, the offline copy of the app and its data). */
  usage: number;
  /** True when the browser will not clear it under storage pressure. */
  persisted: boolean;
}

/** "This page keeps 38 MB in this browser (kept until you delete it)." as a message. */
export function storageUseMessage(use: StorageUse): Msg {
  return msg('storage.use', { bytes: formatBytes(use.usage), how: msg(use.persisted ? 'storage.persisted' : 'storage.mayClear') });
}

/** The same in the current language (render it inside a component, so a switch of language re-words it). */
export function storageUseText(use: StorageUse): string {
  return tr(i18n.t, storageUseMessage(use));
}

export function useStorageUse(): StorageUse | null {
  const [use, setUse] = useState<StorageUse | null>(null);
  useEffect(() => {
    let live = true;
    const read = async () => {
      const u = await storageUsage();
      const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
      if (live && u) setUse({ usage: u.usage, persisted });
    };
    void read();
    // The offline copy (~18 MB) is stored by the service worker's install, with no store change: read again once
    // it is active, so this figure and a full disk's "(this page uses …)" agree.
    void navigator.serviceWorker?.ready.then(() => (live ? read() : undefined));
    const stop = onStoreChange('*', () => void read());
    return () => {
      live = false;
      stop();
    };
  }, []);
  return use;
}
