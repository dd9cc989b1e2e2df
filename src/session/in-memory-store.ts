import type { LLMMessage, MemoryStore } from '../spec/index.js';
import { checkSessionId, checkStoredMessages } from './memory-errors.js';

/**
 * The default memory: one array per session, in this process. Messages are copied on the way in and on the
 * way out (`structuredClone`), so neither the caller nor the model's response objects can change stored
 * history afterwards. Not shared between processes; lost on exit.
 *
 * @example const memory = createInMemoryStore(); const a = llm.session({ memory }); const b = llm.session({ memory });
 */
export function createInMemoryStore(): MemoryStore {
  const sessions = new Map<string, LLMMessage[]>();
  return {
    async load(sessionId) {
      checkSessionId(sessionId);
      const stored = sessions.get(sessionId);
      return stored === undefined ? [] : structuredClone(stored);
    },
    async append(sessionId, messages) {
      checkSessionId(sessionId);
      checkStoredMessages(messages, 'append');
      if (messages.length === 0) return;
      const copies = structuredClone(messages);
      const stored = sessions.get(sessionId);
      if (stored === undefined) sessions.set(sessionId, copies);
      else stored.push(...copies);
    },
    async replace(sessionId, messages) {
      checkSessionId(sessionId);
      checkStoredMessages(messages, 'replace');
      if (messages.length === 0) sessions.delete(sessionId);
      else sessions.set(sessionId, structuredClone(messages));
    },
    async clear(sessionId) {
      checkSessionId(sessionId);
      sessions.delete(sessionId);
    },
    async close() {
      sessions.clear();
    },
  };
}
