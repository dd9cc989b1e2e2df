import type { Logger } from 'koishi';
import type { Library } from './library-types';
import type { Texts } from './texts';

/** The part of the library that recognises its errors (loaded with `import()`). */
export type ErrorLibrary = Pick<Library, 'LLMError'>;

/** How an error is shown. */
export interface ErrorReplyOptions {
  lib: ErrorLibrary;
  logger: Logger;
  texts: Texts;
  /**
   * Also show the code, and the library's message when the error did not come from a provider's HTTP
   * answer (a mistyped model or provider name says what exists). Provider texts are never shown: they may
   * echo part of a key. @default false
   */
  detailed?: boolean;
}

/**
 * The reply for a failed call: the error's `friendlyMessage` (in the client's locale) for an `LLMError`,
 * a generic message for anything else. The error is logged by code and (key-free) message only.
 */
export function errorReply(error: unknown, options: ErrorReplyOptions): string {
  const { lib, logger, texts } = options;
  if (!lib.LLMError.isInstance(error)) {
    // LLMError.from scrubs anything key-like from the message.
    logger.error('unexpected error: %s', lib.LLMError.from(error, 'GENERATION_FAILED').message);
    return texts.unexpected;
  }
  logger.warn('%s: %s', error.code, error.message);
  if (options.detailed !== true) return error.friendlyMessage;
  const detail = error.status == null ? `${error.code}: ${error.message}` : error.code;
  return `${error.friendlyMessage}\n(${detail})`;
}

/** Logs a failed start: every configuration problem by path, else the error's code and message. */
export function logStartError(error: unknown, lib: ErrorLibrary, logger: Logger): void {
  if (!lib.LLMError.isInstance(error)) {
    logger.error('cannot start the client: %s', lib.LLMError.from(error, 'MODEL_INIT_FAILED').message);
    return;
  }
  const issues = error.details?.issues;
  if (error.code === 'CONFIGURATION_ERROR' && Array.isArray(issues) && issues.length > 0) {
    logger.error('configuration error (%d problem(s)); the plugin is not started:', issues.length);
    for (const issue of issues as { path?: unknown; message?: unknown }[]) {
      logger.error('  %s: %s', String(issue.path ?? '(config)'), String(issue.message ?? ''));
    }
    return;
  }
  logger.error('cannot start the client: %s: %s', error.code, error.message);
}
