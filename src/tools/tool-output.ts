import { LLMError } from '../errors/llm-error.js';
import { redactSecrets } from '../logging/secrets.js';
import type { LLMMessage, ToolError, ToolExecution } from '../spec/index.js';

/** Longest error message sent back to the model. */
const MAX_MESSAGE_CHARS = 4000;

/** The structured error the model sees (`issues` only for `InvalidArguments`). */
export function toolError(
  errorType: ToolError['error_type'],
  message: string,
  isRetryable: boolean,
  issues?: ToolError['issues'],
): ToolError {
  const error: ToolError = {
    error_type: errorType,
    message: clip(redactSecrets(message)),
    is_retryable: isRetryable,
  };
  if (issues !== undefined && issues.length > 0) error.issues = issues;
  return error;
}

/**
 * The message of anything thrown, never its stack (an `LLMError`'s message is already free of keys; every
 * message is scrubbed again anyway).
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message !== '' ? error.message : error.name;
  if (typeof error === 'string') return error;
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message;
  }
  try {
    const json = JSON.stringify(error);
    if (json !== undefined) return json;
  } catch {
    // fall through
  }
  return String(error);
}

/** Whether trying again may help, for an error a tool threw (an `LLMError` says; anything else: no). */
export function isRetryableThrow(error: unknown): boolean {
  return LLMError.isInstance(error) ? error.retryable : false;
}

/**
 * The first thing in `value` that JSON cannot carry faithfully, described with its path (`output.items[2]`),
 * or `undefined` when it serialises: BigInt, functions, symbols, circular references, `Map`/`Set` (which
 * `JSON.stringify` silently turns into `{}`), and `toJSON` methods that throw.
 */
export function unserialisableProblem(
  value: unknown,
  path = 'output',
  ancestors = new Set<object>(),
): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return `a BigInt at ${path}`;
    case 'function':
      return `a function at ${path}`;
    case 'symbol':
      return `a symbol at ${path}`;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let json: unknown;
    try {
      json = toJSON.call(value, '');
    } catch (error) {
      return `toJSON threw at ${path} (${messageOf(error)})`;
    }
    return json === value ? undefined : unserialisableProblem(json, path, ancestors);
  }
  if (value instanceof Map || value instanceof Set) {
    return `a ${value instanceof Map ? 'Map' : 'Set'} at ${path} (convert it to an object or array)`;
  }
  if (ancestors.has(value)) return `a circular reference at ${path}`;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = unserialisableProblem(value[i], `${path}[${i}]`, ancestors);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const problem = unserialisableProblem(
        (value as Record<string, unknown>)[key],
        `${path}.${key}`,
        ancestors,
      );
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}

/** What a tool message carries: strings as they are, everything else as JSON (non-ASCII kept). */
export function toolContent(output: unknown): string {
  if (typeof output === 'string') return output;
  try {
    return JSON.stringify(output ?? null) ?? 'null';
  } catch (error) {
    return JSON.stringify(
      toolError('ExecutionError', `output is not JSON-serialisable: ${messageOf(error)}`, false),
    );
  }
}

/**
 * The tool message that answers one call: `{ role: 'tool', toolCallId, name, content }`, content per
 * `toolContent` (the structured error JSON for failed calls).
 */
export function toToolMessage(execution: ToolExecution): LLMMessage {
  return {
    role: 'tool',
    toolCallId: execution.call.id,
    name: execution.call.name,
    content: toolContent(execution.output),
  };
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}…`;
}
