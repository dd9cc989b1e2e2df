import { ChannelLog } from './channel-log';
import type { AI, LLM, LLMContentPart, LLMResponse } from './library-types';

/** Where a message was said: Koishi's `session.platform`, `channelId`, `userId`, `isDirect`. */
export interface ChatPlace {
  platform: string;
  channelId: string;
  userId: string;
  isDirect: boolean;
}

/** Options of `ChatSessions`. */
export interface ChatSessionsOptions {
  /** Record group lines (`observe`) and hand them to the next `ask` in that channel. @default false */
  observeGroups?: boolean;
  /** Most conversations kept in this process; the least recently used is dropped first. @default 1000 */
  maxSessions?: number;
  /** Most lines remembered per group channel for `observeGroups`. @default 50 */
  maxLinesPerChannel?: number;
}

interface Entry {
  ai: AI;
  /** The last channel line this conversation has been given (see `ChannelLog`). */
  cursor: number;
}

/** The session id of one user in one channel: `platform:channelId:userId`. */
export function sessionIdOf(place: ChatPlace): string {
  return `${place.platform}:${place.channelId}:${place.userId}`;
}

function channelKeyOf(place: ChatPlace): string {
  return `${place.platform}:${place.channelId}`;
}

/**
 * The `ask` conversations: one `llm.session` per channel and user (history in the client's in-process
 * memory store, so a conversation survives being dropped from this cache). With `observeGroups`, lines
 * said in a group channel are recorded in a `ChannelLog`; when someone asks there, the lines said since
 * their previous `ask` go into their session with `addObservation`, in order, before the question.
 */
export class ChatSessions {
  private readonly entries = new Map<string, Entry>();
  private readonly log: ChannelLog;
  private readonly observeGroups: boolean;
  private readonly maxSessions: number;

  constructor(
    private readonly llm: LLM,
    options: ChatSessionsOptions = {},
  ) {
    this.observeGroups = options.observeGroups ?? false;
    this.maxSessions = Math.max(1, options.maxSessions ?? 1000);
    this.log = new ChannelLog(
      options.maxLinesPerChannel != null ? { maxLines: options.maxLinesPerChannel } : {},
    );
  }

  /** Records a line said in a group channel (ignored in direct chats or without `observeGroups`). */
  observe(place: ChatPlace, parts: LLMContentPart[]): void {
    if (!this.observeGroups || place.isDirect || parts.length === 0) return;
    this.log.add(channelKeyOf(place), parts);
  }

  /** One turn of the asker's conversation (with the channel's new lines first, under `observeGroups`). */
  async ask(place: ChatPlace, input: LLMContentPart[]): Promise<LLMResponse> {
    const entry = this.entry(sessionIdOf(place));
    if (this.observeGroups && !place.isDirect) {
      const { lines, cursor } = this.log.since(channelKeyOf(place), entry.cursor);
      for (const line of lines) entry.ai.addObservation(line);
      entry.cursor = cursor;
    }
    return entry.ai.chat(input);
  }

  private entry(sessionId: string): Entry {
    let entry = this.entries.get(sessionId);
    if (entry !== undefined) {
      this.entries.delete(sessionId);
    } else {
      entry = { ai: this.llm.session({ sessionId }), cursor: 0 };
      if (this.entries.size >= this.maxSessions) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(sessionId, entry);
    return entry;
  }
}
