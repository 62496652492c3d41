/**
 * At most one request in flight; requests made meanwhile coalesce into one that runs
 * when the current one settles, with the input as it is then. So the latest input
 * always gets an answer, and a slow answerer (the worker, busy training) never
 * builds up a queue. No DOM: plain promises.
 */
export class LatestOnlyQueue<I, R> {
  private inFlight = false;
  private dirty = false;
  private generation = 0;

  /**
   * @param produce reads the current input when a request starts (null: nothing to ask).
   * @param run sends one input and resolves with the answer.
   * @param onResult receives each answer (not those of requests made before `reset`).
   * @param onEmpty called when `produce` had no input.
   * @param onError receives a failed request's error.
   */
  constructor(
    private readonly produce: () => I | null,
    private readonly run: (input: I) => Promise<R>,
    private readonly onResult: (result: R, input: I) => void,
    private readonly onEmpty: () => void = () => {},
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** True while a request is waiting for its answer. */
  get busy(): boolean {
    return this.inFlight;
  }

  /** Asks for the current input to be answered: now, or as soon as the request in flight settles. */
  request(): void {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    const input = this.produce();
    if (input === null) {
      this.onEmpty();
      return;
    }
    const generation = this.generation;
    this.inFlight = true;
    let promise: Promise<R>;
    try {
      promise = this.run(input);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise
      .then(
        (result) => {
          if (generation === this.generation) this.onResult(result, input);
        },
        (error: unknown) => {
          if (generation === this.generation) this.onError(error);
        },
      )
      .finally(() => {
        this.inFlight = false;
        if (this.dirty) this.request();
      });
  }

  /** Forgets pending requests and drops the answer of the one in flight (e.g. after Clear). */
  reset(): void {
    this.generation++;
    this.dirty = false;
  }
}
