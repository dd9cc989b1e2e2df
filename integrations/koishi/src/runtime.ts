import { h, type Logger, type Session } from 'koishi';
import type { ChatPlace, ChatSessions } from './chat-sessions';
import type { Config } from './config';
import type { ErrorLibrary } from './error-reply';
import type { LLM } from './library-types';
import type { Texts } from './texts';

/** The running client, once started. */
export interface Client {
  llm: LLM;
  lib: ErrorLibrary;
  sessions: ChatSessions;
}

/** What the commands share: the configuration, texts, logger and (once started) the client. */
export interface Runtime {
  config: Config;
  texts: Texts;
  logger: Logger;
  client?: Client | undefined;
}

/** Where a Koishi session's message was said. */
export function placeOf(session: Session): ChatPlace {
  return {
    platform: session.platform,
    channelId: session.channelId ?? '',
    userId: session.userId ?? '',
    isDirect: session.isDirect,
  };
}

/**
 * Why `session` may not run an admin action, or `undefined` when it may: its user's Koishi authority must
 * reach `adminAuthority`. Without a database Koishi knows no authority (and lets every command through), so
 * admin actions are refused then — unless `adminAuthority` is 1 or less, i.e. open to every user anyway.
 */
export function adminRefusal(session: Session, runtime: Runtime): string | undefined {
  const required = runtime.config.adminAuthority;
  if (required <= 1) return undefined;
  const authority = (session.user as { authority?: unknown } | undefined)?.authority;
  if (typeof authority !== 'number') return runtime.texts.needsDatabase;
  return authority < required ? runtime.texts.lowAuthority : undefined;
}

/** A reply of plain text: Koishi parses a returned string as markup, so `<text>` or `a < b` must be escaped. */
export function plain(text: string): h {
  return h.text(text);
}
