import type { LLMMessage } from './message.js';

/** Where a session's history lives. Implementations must keep message order. */
export interface MemoryStore {
  load(sessionId: string): Promise<LLMMessage[]>;
  append(sessionId: string, messages: LLMMessage[]): Promise<void>;
  /** Replace the whole history (used when the policy trims it). */
  replace(sessionId: string, messages: LLMMessage[]): Promise<void>;
  clear(sessionId: string): Promise<void>;
  close?(): Promise<void>;
}

/** Decides what part of the stored history is kept and sent. */
export interface MemoryPolicy {
  /** Returns the messages to keep; must not split an assistant tool call from its results. */
  trim(messages: LLMMessage[]): LLMMessage[];
}

/** Hooks around a session turn. */
export interface MemoryProcessor {
  /** May rewrite the messages about to be sent (history + new turn). */
  beforeSend?(sessionId: string, messages: LLMMessage[]): LLMMessage[] | Promise<LLMMessage[]>;
  /** Sees the messages just stored. Failures are logged and do not fail the call. */
  afterReceive?(sessionId: string, stored: LLMMessage[]): void | Promise<void>;
}
