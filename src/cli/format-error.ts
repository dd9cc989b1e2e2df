import { LLMError } from '../errors/llm-error.js';
import type { Locale } from '../spec/index.js';
import { forTheTerminal, terminalMessageOf } from './terminal-message.js';

/** How an error is shown. */
export interface FormatErrorOptions {
  /** Add the stack trace and the attempts. */
  debug: boolean;
  /** Language of the friendly message. */
  locale?: Locale;
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `error [CODE]: message for the person at the terminal` (what to do, which command; the library's friendly
 * message for codes that need no command), then the technical message when it says more (a config error's paths, a
 * missing file's example), the retry hint, and — with `debug` — the attempts and the stack. Never a key (the
 * caller redacts the whole text once more).
 */
export function formatError(error: unknown, options: FormatErrorOptions): string {
  const debug = options.debug;
  if (!LLMError.isInstance(error)) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = debug && error instanceof Error && error.stack != null ? `\n${error.stack}` : '';
    return `error: ${message}${stack}\n`;
  }
  if (options.locale != null) error.locale = options.locale;
  const headline = terminalMessageOf(error);
  const lines = [`error [${error.code}]: ${headline}`];
  const message = forTheTerminal(error.message.trim());
  if (message !== '' && message !== headline && message !== error.friendlyMessage) lines.push(message);
  // Which model, key and HTTP status answered, when a provider did (a key id is masked, never the key).
  if (error.keyId != null || error.status != null) {
    const where = [
      error.model ?? error.provider,
      error.keyId != null ? `key ${error.keyId}` : undefined,
      error.status != null ? `HTTP ${error.status}` : undefined,
    ];
    lines.push(`(${where.filter((part) => part != null).join(', ')})`);
  }
  if (error.retryAfterMs != null && error.retryAfterMs > 0)
    lines.push(`retry in about ${seconds(error.retryAfterMs)}`);
  if (debug) {
    for (const attempt of error.attempts ?? []) {
      lines.push(
        `  attempt ${attempt.attempt}: key ${attempt.keyId ?? '-'} status ${attempt.status ?? '-'} ${attempt.code ?? 'ok'} ${attempt.durationMs} ms (waited ${attempt.waitMs} ms)`,
      );
    }
    if (error.stack != null) lines.push(error.stack);
    const cause = error.cause;
    if (cause instanceof Error && cause.stack != null) lines.push(`caused by: ${cause.stack}`);
  }
  return `${lines.join('\n')}\n`;
}
