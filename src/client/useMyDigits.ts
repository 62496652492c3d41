/**
 * Your digits as React state: the stored list (IndexedDB, myDigitsStore.ts),
 * adding, deleting, export and import, and the current model's reading of
 * them, asked again whenever the model or its weights change.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../i18n/format';
import { errorMessage, message, MessageError, messageText, type Message } from './localMessage';
import {
  decodeMyDigitsFile,
  encodeMyDigitsFile,
  MAX_MY_DIGITS,
  toBytes,
  toDigitSet,
  type DigitSet,
  type MyDigit,
} from '../shared/myDigits';
import type { MyDigitsReport } from '../shared/protocol';
import { askPersistence, onStoreChange } from '../shared/browserStorage';
import { addDigits, clearDigits, deleteDigit, listDigits } from './myDigitsStore';

export interface MyDigitsApi {
  digits: MyDigit[];
  /** False until the stored list has been read. */
  loaded: boolean;
  /** The set the worker takes, in list order. */
  set: DigitSet;
  /** The current model's reading (its version is the model's), or null before one. */
  report: MyDigitsReport | null;
  /** A sentence when storage, import or reading failed. */
  problem: string | null;
  /** Stores a labelled drawing; resolves with it, or null when storing failed (`problem` says why). */
  add(label: number, pixels: Float32Array): Promise<MyDigit | null>;
  remove(id: number): Promise<void>;
  clear(): Promise<void>;
  /** The export file's text. */
  exportText(): string;
  /** Adds a file's digits to the list (one transaction); a malformed file is refused (throws, list untouched). Resolves with how many. */
  importText(text: string): Promise<number>;
}

/**
 * @param evaluate the worker's evaluateMine (useTrainer).
 * @param modelKey changes whenever the model or its weights change (version, live steps).
 */
export function useMyDigits(evaluate: (digits: DigitSet) => Promise<MyDigitsReport>, modelKey: string): MyDigitsApi {
  const [digits, setDigits] = useState<MyDigit[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [read, setRead] = useState<{ set: DigitSet; report: MyDigitsReport } | null>(null);
  const { t } = useTranslation();
  const [problemMessage, setProblem] = useState<Message | null>(null);
  // Kept as a message, written in the page's language (a switch re-translates it).
  const problem = useMemo(() => (problemMessage ? messageText(t, problemMessage) : null), [problemMessage, t]);
  const say = (e: unknown) => setProblem(errorMessage(e));

  // The stored list, read again whenever any tab changes it (two tabs, one list).
  useEffect(() => {
    let live = true;
    let reads = 0;
    const read = () => {
      const n = ++reads;
      listDigits()
        .then(
          (all) => {
            if (live && n === reads) setDigits(all);
          },
          (e: unknown) => live && say(e),
        )
        .finally(() => live && setLoaded(true));
    };
    read();
    const stop = onStoreChange('digits', read);
    return () => {
      live = false;
      stop();
    };
  }, []);

  const set = useMemo(() => toDigitSet(digits), [digits]);

  // The newest request wins: an older answer arriving late is dropped.
  const asked = useRef(0);
  useEffect(() => {
    const n = ++asked.current;
    if (!set.labels.length) return;
    evaluate(set).then(
      (report) => {
        if (n === asked.current) setRead({ set, report });
      },
      () => {}, // no model or no worker: the panel says so from the model state
    );
  }, [set, modelKey, evaluate]);

  const add = useCallback(async (label: number, pixels: Float32Array) => {
    try {
      const [stored] = await addDigits([{ label, pixels: toBytes(pixels), createdAt: new Date().toISOString() }]);
      setDigits((list) => (list.some((d) => d.id === stored!.id) ? list : [...list, stored!]));
      setProblem(null);
      void askPersistence();
      return stored!;
    } catch (e) {
      say(e);
      return null;
    }
  }, []);
  const remove = useCallback(async (id: number) => {
    try {
      await deleteDigit(id);
      setDigits((list) => list.filter((d) => d.id !== id));
    } catch (e) {
      say(e);
    }
  }, []);
  const clear = useCallback(async () => {
    try {
      await clearDigits();
      setDigits([]);
    } catch (e) {
      say(e);
    }
  }, []);
  const exportText = useCallback(() => encodeMyDigitsFile(digits), [digits]);
  const importText = useCallback(
    async (text: string) => {
      // Checked whole before anything is stored: a malformed file leaves the list as it was.
      const parsed = decodeMyDigitsFile(text);
      if (parsed.length + digits.length > MAX_MY_DIGITS)
        throw new MessageError(
          message('mine.store.tooMany', {
            max: formatInteger(MAX_MY_DIGITS),
            have: formatInteger(digits.length),
            file: formatInteger(parsed.length),
          }),
        );
      const now = new Date().toISOString();
      const stored = await addDigits(parsed.map((d) => ({ ...d, createdAt: now })));
      setDigits((list) => [...list, ...stored.filter((s) => !list.some((d) => d.id === s.id))]);
      setProblem(null);
      void askPersistence();
      return stored.length;
    },
    [digits.length],
  );

  // Only a reading of the list as it is now (not of one a digit ago).
  const report = read && read.set === set ? read.report : null;
  return useMemo(
    () => ({ digits, loaded, set, report, problem, add, remove, clear, exportText, importText }),
    [digits, loaded, set, report, problem, add, remove, clear, exportText, importText],
  );
}
