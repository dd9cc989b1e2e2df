import type { LLMContentPart } from './library-types';

/** One recorded line of a channel. */
interface Line {
  seq: number;
  parts: LLMContentPart[];
}

interface Channel {
  lines: Line[];
}

/** Options of `ChannelLog`. */
export interface ChannelLogOptions {
  /** Most lines kept per channel; older ones are forgotten. @default 50 */
  maxLines?: number;
  /** Most channels kept; the least recently active is forgotten first. @default 1000 */
  maxChannels?: number;
}

/**
 * What was said in group channels (`observeGroups`), for the sessions of everyone who asks there. Each
 * channel keeps its last `maxLines` lines, numbered; a reader (one user's session) keeps a cursor, and
 * `since(channel, cursor)` returns the lines after it, oldest first, with the new cursor. So every user's
 * next `ask` sees what was said since their previous one (at most `maxLines` lines), each line once.
 */
export class ChannelLog {
  private readonly channels = new Map<string, Channel>();
  /** Sequence number of the next line, over all channels (1-based: cursor 0 means "nothing seen yet"). */
  private next = 1;
  private readonly maxLines: number;
  private readonly maxChannels: number;

  constructor(options: ChannelLogOptions = {}) {
    this.maxLines = Math.max(1, options.maxLines ?? 50);
    this.maxChannels = Math.max(1, options.maxChannels ?? 1000);
  }

  /** Records a line said in `channel`. */
  add(channel: string, parts: LLMContentPart[]): void {
    const log = this.touch(channel);
    log.lines.push({ seq: this.next++, parts });
    if (log.lines.length > this.maxLines) log.lines.splice(0, log.lines.length - this.maxLines);
  }

  /** The lines after `cursor`, oldest first, and the cursor after them. */
  since(channel: string, cursor: number): { lines: LLMContentPart[][]; cursor: number } {
    const log = this.channels.get(channel);
    const lines = log === undefined ? [] : log.lines.filter((line) => line.seq > cursor);
    return { lines: lines.map((line) => line.parts), cursor: this.next - 1 };
  }

  private touch(channel: string): Channel {
    let log = this.channels.get(channel);
    if (log !== undefined) {
      this.channels.delete(channel);
    } else {
      log = { lines: [] };
      if (this.channels.size >= this.maxChannels) {
        const oldest = this.channels.keys().next().value;
        if (oldest !== undefined) this.channels.delete(oldest);
      }
    }
    this.channels.set(channel, log);
    return log;
  }
}
