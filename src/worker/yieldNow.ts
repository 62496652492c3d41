/**
 * Yields to the event loop so queued messages (predict, pause, stop) run.
 * A MessageChannel message is a fresh task without setTimeout's 4 ms clamp.
 */
type NodePort = MessagePort & { ref?: () => void; unref?: () => void };

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Resolves on a new task, after already queued tasks had their turn. */
export function yieldNow(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    const port = channel.port1 as NodePort;
    port.onmessage = () => {
      waiting.shift()?.();
      // In Node a referenced port keeps the process alive: hold it only while someone waits.
      if (!waiting.length) port.unref?.();
    };
  }
  (channel.port1 as NodePort).ref?.();
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(0);
  });
}
