import { LLMError } from '../errors/llm-error.js';
import type { LLMErrorCode, LLMMessage } from '../spec/index.js';

/** Imports a module by name (injectable so tests can simulate a missing optional dependency). */
export type ImportModule = (specifier: string) => Promise<unknown>;

export const defaultImport: ImportModule = (specifier) => import(specifier);

/**
 * Loads an optional peer dependency; a missing one becomes `CONFIGURATION_ERROR` naming the package to
 * install.
 */
export async function loadOptional(importModule: ImportModule, pkg: string, what: string): Promise<unknown> {
  try {
    return await importModule(pkg);
  } catch (error) {
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `${what} needs the optional package "${pkg}": npm install ${pkg}`,
      {
        cause: error,
        details: { package: pkg },
      },
    );
  }
}

/** An `LLMError` for a failed store operation (an `LLMError` passes unchanged). */
export function storeError(store: string, operation: string, error: unknown, code: LLMErrorCode): LLMError {
  if (LLMError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LLMError(code, `${store} memory: ${operation} failed: ${message}`, {
    cause: error,
    details: { store, operation },
  });
}

/** Checks a session id (any non-empty string). */
export function checkSessionId(sessionId: unknown, path = 'sessionId'): asserts sessionId is string {
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new LLMError('INVALID_PARAMETER', `${path}: must be a non-empty string`, { details: { path } });
  }
}

/** Checks the messages handed to `append`/`replace`. */
export function checkStoredMessages(messages: unknown, operation: string): asserts messages is LLMMessage[] {
  if (!Array.isArray(messages)) {
    throw new LLMError('INVALID_PARAMETER', `${operation}: messages must be an array`, {
      details: { operation },
    });
  }
}

/** Parses one stored message (our own JSON); a corrupt row is an error, never a silently shorter history. */
export function parseStored(json: string, store: string, where: string): LLMMessage {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new LLMError('GENERATION_FAILED', `${store} memory: ${where} is not valid JSON`, {
      cause: error,
      details: { store, where },
    });
  }
  if (value == null || typeof value !== 'object' || typeof (value as { role?: unknown }).role !== 'string') {
    throw new LLMError('GENERATION_FAILED', `${store} memory: ${where} is not a message`, {
      details: { store, where },
    });
  }
  return value as LLMMessage;
}
