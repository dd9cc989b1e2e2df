import type { MemoryStore } from '../spec/index.js';

const chains = new WeakMap<MemoryStore, Map<string, Promise<void>>>();

/**
 * Runs `task` after every earlier task of the same (store, sessionId) in this process has settled, so the
 * turns of one conversation never interleave, even across `AI` objects sharing a store.
 */
export async function serialised<T>(
  store: MemoryStore,
  sessionId: string,
  task: () => Promise<T>,
): Promise<T> {
  let sessions = chains.get(store);
  if (sessions === undefined) {
    sessions = new Map();
    chains.set(store, sessions);
  }
  const previous = sessions.get(sessionId);
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous === undefined ? done : previous.then(() => done);
  sessions.set(sessionId, tail);
  try {
    if (previous !== undefined) await previous;
    return await task();
  } finally {
    release();
    if (sessions.get(sessionId) === tail) sessions.delete(sessionId);
  }
}
