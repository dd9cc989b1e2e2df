import type { Exchange } from './exchange.js';

/**
 * One JSON line per request, batched per event-loop turn into one write (a write per line would be a
 * syscall per request on a pipe). Lines hold no prompt or answer (only `body`, sanitized, with `debugLog`),
 * no token and no key: the client is named by its token's `name`.
 */
export class AccessLog {
  private pending = '';
  private scheduled = false;
  private readonly flushSoon = () => this.flush();

  constructor(private readonly sink: (text: string) => void) {}

  /** Queues the line of a finished exchange. */
  write(exchange: Exchange, method: string, path: string, remote: string | undefined): void {
    this.pending += `${JSON.stringify(accessLine(exchange, method, path, remote))}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  /** Writes the queued lines now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.sink(text);
  }
}

let isoSecond = Number.NaN;
let isoPrefix = '';

/** `new Date(ms).toISOString()` for an epoch-ms integer, with the text up to the second kept from the last call. */
function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20); // `2026-12-03T15:04:05.`
  }
  const milli = ms - second * 1000;
  return `${isoPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** The fields of an access-log line. */
export function accessLine(
  exchange: Exchange,
  method: string,
  path: string,
  remote: string | undefined,
): Record<string, unknown> {
  const line: Record<string, unknown> = {
    time: isoTime(exchange.startedAt),
    msg: 'request',
    requestId: exchange.id,
    method,
    path,
    status: exchange.status,
    token: exchange.client?.name ?? null,
    model: exchange.answered ?? exchange.requested ?? null,
    latencyMs: Math.round(exchange.elapsedMs() * 100) / 100,
    attempts: exchange.attempts,
    bytesIn: exchange.bytesIn,
    bytesOut: exchange.bytesOut,
  };
  if (exchange.stream) {
    line.stream = true;
    if (exchange.ttfbMs != null) line.ttfbMs = Math.round(exchange.ttfbMs * 100) / 100;
  }
  if (exchange.usage != null) {
    line.promptTokens = exchange.usage.promptTokens;
    line.completionTokens = exchange.usage.completionTokens;
  }
  if (exchange.errorCode != null) line.error = exchange.errorCode;
  if (exchange.libraryCode != null) line.libraryError = exchange.libraryCode;
  if (exchange.warnings != null && exchange.warnings.length > 0) line.warnings = exchange.warnings;
  if (remote != null) line.remote = remote;
  if (exchange.debugBody !== undefined) line.body = exchange.debugBody;
  return line;
}
