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
    this.pending += accessLineText(exchange, method, path, remote);
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

/** `JSON.stringify` of a string (quotes and escapes). */
const str = JSON.stringify as (text: string) => string;

/**
 * The access-log line of `accessLine`, as JSON text with its newline, written field by field (the same keys
 * in the same order, no intermediate object). Numbers are finite (counts and rounded durations).
 */
export function accessLineText(
  exchange: Exchange,
  method: string,
  path: string,
  remote: string | undefined,
): string {
  const name = exchange.client?.name;
  const model = exchange.answered ?? exchange.requested;
  let text = `{"time":"${isoTime(exchange.startedAt)}","msg":"request","requestId":${str(exchange.id)},"method":${str(method)},"path":${str(path)},"status":${exchange.status},"token":${name != null ? str(name) : 'null'},"model":${model != null ? str(model) : 'null'},"latencyMs":${Math.round(exchange.elapsedMs() * 100) / 100},"attempts":${exchange.attempts},"bytesIn":${exchange.bytesIn},"bytesOut":${exchange.bytesOut}`;
  if (exchange.stream) {
    text += ',"stream":true';
    if (exchange.ttfbMs != null) text += `,"ttfbMs":${Math.round(exchange.ttfbMs * 100) / 100}`;
  }
  const usage = exchange.usage;
  if (usage != null) {
    if (usage.promptTokens !== undefined) text += `,"promptTokens":${JSON.stringify(usage.promptTokens)}`;
    if (usage.completionTokens !== undefined)
      text += `,"completionTokens":${JSON.stringify(usage.completionTokens)}`;
  }
  if (exchange.errorCode != null) text += `,"error":${str(exchange.errorCode)}`;
  if (exchange.libraryCode != null) text += `,"libraryError":${str(exchange.libraryCode)}`;
  if (exchange.warnings != null && exchange.warnings.length > 0)
    text += `,"warnings":${JSON.stringify(exchange.warnings)}`;
  if (remote != null) text += `,"remote":${str(remote)}`;
  if (exchange.debugBody !== undefined) {
    const body = JSON.stringify(exchange.debugBody);
    if (body !== undefined) text += `,"body":${body}`;
  }
  return `${text}}\n`;
}

/** The fields of an access-log line. */
export function accessLine(
  exchange: Exchange,
  method: string,
  path: string,
  remote: string | undefined,
): Record<string, unknown> {
  const line: Record<string, unknown> = {
    time: new Date(exchange.startedAt).toISOString(),
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
