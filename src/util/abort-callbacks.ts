/** The callbacks registered on one signal, behind its one real listener. */
interface Entry {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const entries = new WeakMap<AbortSignal, Entry>();

/**
 * Runs `callback` once when `signal` aborts (check `signal.aborted` first: an aborted signal never fires). However many calls share a signal (one `AbortSignal` for a
 * thousand calls), the signal carries one `abort` listener: no `MaxListenersExceededWarning`, and adding or
 * removing a callback costs O(1) instead of a walk over the signal's listener list. Callbacks run in the
 * order they were added; a callback that throws does not stop the others (its error is rethrown
 * asynchronously, as an `EventTarget` listener's would be). Pair with `offAbort` when no longer needed.
 */
export function onAbort(signal: AbortSignal, callback: () => void): void {
  let entry = entries.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      // A callback removed by an earlier one (its call ended) is skipped, as with EventTarget listeners.
      for (const each of callbacks) {
        try {
          each();
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      if (entries.get(signal) === created) entries.delete(signal);
      callbacks.clear();
    };
    const created: Entry = { callbacks, listener };
    entry = created;
    entries.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  entry.callbacks.add(callback);
}

/** Removes a callback added with `onAbort`; the signal's listener goes with the last one. */
export function offAbort(signal: AbortSignal, callback: () => void): void {
  const entry = entries.get(signal);
  if (entry === undefined || !entry.callbacks.delete(callback)) return;
  if (entry.callbacks.size === 0) {
    entries.delete(signal);
    signal.removeEventListener('abort', entry.listener);
  }
}
