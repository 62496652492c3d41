/**
 * The step view's state: the example (the pad's digit or a training image) and its label, the
 * last step's numbers from the worker, the loss curve of this example, and the requests (Step,
 * ×10, ×100, Undo, a random example), one at a time. A session starts each time the view opens:
 * Undo restores the model as it was before the session's first step.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainerApi } from '../../client/useTrainer';
import { errorMessage } from '../../shared/errorMessage';
import type { StepResult, StepUndo } from '../../shared/step';
import { extendCurve } from '../../shared/stepMaths';
import { argmax } from './stepFormat';

export interface StepExample {
  source: 'pad' | 'random';
  /** [784] 0..1, white ink on black. */
  pixels: Float32Array;
  /** A training image's index and MNIST label; null for the pad. */
  index: number | null;
  trueLabel: number | null;
}

export type Pending = 'step' | 'undo' | 'example' | null;

export interface StepSession {
  example: StepExample | null;
  label: number;
  result: StepResult | null;
  /** The loss on this example and label over this session's steps. */
  curve: number[];
  pending: Pending;
  error: string | null;
  undo: StepUndo | null;
  setLabel(label: number): void;
  takePad(pixels: Float32Array): void;
  random(): void;
  step(times: number): void;
  undoSteps(): void;
}

/** Training images the random example is drawn from (MNIST's; the worker takes the index modulo its count). */
const TRAINING_IMAGES = 60_000;
let sessions = 0;

export function useStepSession(trainer: TrainerApi): StepSession {
  const [session] = useState(() => ++sessions);
  const [example, setExample] = useState<StepExample | null>(null);
  const [label, setLabelState] = useState(0);
  const [result, setResult] = useState<StepResult | null>(null);
  const [curve, setCurve] = useState<number[]>([]);
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<string | null>(null);
  const [undo, setUndo] = useState<StepUndo | null>(null);
  const busy = useRef(false);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );
  const { traceStep, undoSteps: undoRequest, trainingExample, predict } = trainer;

  /** Runs one request at a time; its outcome is dropped once the view has closed. */
  const run = useCallback(async (what: Exclude<Pending, null>, job: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    setPending(what);
    setError(null);
    try {
      await job();
    } catch (e) {
      if (live.current) setError(errorMessage(e));
    } finally {
      busy.current = false;
      if (live.current) setPending(null);
    }
  }, []);

  const newExample = useCallback((next: StepExample, nextLabel: number) => {
    setExample(next);
    setLabelState(nextLabel);
    setResult(null);
    setCurve([]);
  }, []);

  const setLabel = useCallback((l: number) => {
    setLabelState(l);
    setResult(null);
    setCurve([]);
  }, []);

  const takePad = useCallback(
    (pixels: Float32Array) =>
      void run('example', async () => {
        // The label starts at what the network reads; the person says what it really is.
        const read = await predict(pixels);
        if (!live.current) return;
        newExample({ source: 'pad', pixels: pixels.slice(), index: null, trueLabel: null }, read.probs ? argmax(read.probs) : 0);
      }),
    [run, predict, newExample],
  );

  const random = useCallback(
    () =>
      void run('example', async () => {
        const ex = await trainingExample(Math.floor(Math.random() * TRAINING_IMAGES));
        if (!live.current) return;
        newExample({ source: 'random', pixels: ex.pixels, index: ex.index, trueLabel: ex.label }, ex.label);
      }),
    [run, trainingExample, newExample],
  );

  const step = useCallback(
    (times: number) => {
      const ex = example;
      if (!ex) return;
      void run('step', async () => {
        const r = await traceStep(ex.pixels, label, times, session);
        if (!live.current) return;
        setResult(r);
        setUndo(null);
        setCurve((c) => extendCurve(c, r.curve));
      });
    },
    [example, label, run, traceStep, session],
  );

  const undoSteps = useCallback(
    () =>
      void run('undo', async () => {
        const u = await undoRequest(session);
        if (!live.current) return;
        setUndo(u);
        if (u.undone > 0) {
          setResult(null);
          setCurve([]);
        }
      }),
    [run, undoRequest, session],
  );

  return { example, label, result, curve, pending, error, undo, setLabel, takePad, random, step, undoSteps };
}
