/**
 * Yields to the event loop so queued messages (predict, pause, stop) run.
 * A MessageChannel message is a fresh task without setTimeout's 4 ms clamp.
 */
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Resolves on a new task, after already queued tasks had their turn. */
export function yieldNow(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // Node keeps a process alive while a port is referenced; browsers ignore this.
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(0);
  });
}
