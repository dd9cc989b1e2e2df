import type { SseReply } from './reply-types.js';
import type { ResponseLife } from './response-life.js';
import { formatMalformedItem, formatSseComment, formatSseItem, type SseItem } from './sse-items.js';

/** Bytes gathered before a write, so 100,000 tiny events do not cost 100,000 socket writes. */
const BATCH_CHARS = 64 * 1024;

/** What the route implies when the reply leaves `framing` / `done` unset. */
export interface SseDefaults {
  framing: 'lf' | 'crlf';
  done: boolean;
}

async function* eachItem(source: Iterable<SseItem> | AsyncIterable<SseItem>): AsyncGenerator<SseItem> {
  yield* source;
}

/** Streams an `sse` reply incrementally (batched, with backpressure), applying its faults. */
export async function writeSse(life: ResponseLife, reply: SseReply, defaults: SseDefaults): Promise<void> {
  const framing = reply.framing ?? defaults.framing;
  const separator = framing === 'crlf' ? '\r\n\r\n' : '\n\n';
  let pending = '';
  const send = async (text: string, force = false): Promise<boolean> => {
    pending += text;
    if (!force && pending.length < BATCH_CHARS) return !life.closed;
    const chunk = pending;
    pending = '';
    return life.write(chunk);
  };
  const stop = async (mode: 'cut' | 'stall'): Promise<void> => {
    await send('', true);
    if (mode === 'cut') await life.cut();
    else await life.whenClosed;
  };

  if (reply.compress != null) life.compress(reply.compress);
  life.res.flushHeaders();
  for (const comment of reply.comments ?? []) await send(formatSseComment(comment, framing));
  let index = 0;
  for await (const item of eachItem(reply.sse)) {
    if (reply.cutAfter != null && index >= reply.cutAfter) return stop('cut');
    if (reply.stallAfter != null && index >= reply.stallAfter) return stop('stall');
    const text =
      index === reply.malformedAt ? formatMalformedItem(item, framing) : formatSseItem(item, framing);
    index++;
    const delay = reply.eventDelayMs ?? 0;
    if (!(await send(text, delay > 0))) return;
    if (delay > 0 && !(await life.sleep(delay))) return;
  }
  if (reply.cutAfter != null) return stop('cut');
  if (reply.stallAfter != null) return stop('stall');
  if (reply.done ?? defaults.done) await send(`data: [DONE]${separator}`);
  if (reply.trailing != null) await send(reply.trailing);
  if (await send('', true)) life.end();
}
