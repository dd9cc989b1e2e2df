import { redactSecrets } from '../logging/secrets.js';

// `LLMError`'s marker (not imported: llm-error.ts imports this file).
const LLM_ERROR = Symbol.for('switchboard-llm.LLMError');
/** Nested causes (and AggregateError members) kept; deeper ones are dropped. */
const MAX_DEPTH = 4;
const MAX_MEMBERS = 10;

type ErrorClass = new (message?: string) => Error;
// Built-in classes are rebuilt as themselves (so `instanceof` still works); anything else becomes an Error.
const BUILT_IN: ErrorClass[] = [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];

function isLLMError(value: object): boolean {
  return (value as Record<symbol, unknown>)[LLM_ERROR] === true;
}

function scrubbed(value: unknown): string | undefined {
  return typeof value === 'string' ? redactSecrets(value) : undefined;
}

function baseCopy(source: object, message: string): Error {
  if (typeof DOMException !== 'undefined' && source instanceof DOMException) {
    return new DOMException(message, redactSecrets(source.name));
  }
  if (source instanceof AggregateError) return new AggregateError([], message);
  const Class = BUILT_IN.find((candidate) => source instanceof candidate) ?? Error;
  return new Class(message);
}

function copyError(source: object, depth: number): Error {
  const record = source as Record<string, unknown>;
  const message = scrubbed(record.message) ?? `[${source.constructor?.name ?? 'object'}]`;
  const copy = baseCopy(source, message);
  const name = scrubbed(record.name);
  if (name != null && name !== copy.name) {
    Object.defineProperty(copy, 'name', { value: name, writable: true, configurable: true });
  }
  const out = copy as Error & Record<string, unknown>;
  // Only what says what failed: a code (ECONNREFUSED, UND_ERR_SOCKET, WRONGPASS…), errno and syscall
  // (a DOMException derives its code from its name). Never `command`/`args` (ioredis puts AUTH and its
  // password there), `options`, `config`, headers or bodies.
  if (!(typeof DOMException !== 'undefined' && copy instanceof DOMException)) {
    const code = record.code;
    if (typeof code === 'string') out.code = redactSecrets(code);
    else if (typeof code === 'number') out.code = code;
    if (typeof record.errno === 'number') out.errno = record.errno;
    const syscall = scrubbed(record.syscall);
    if (syscall != null) out.syscall = syscall;
  }
  const stack = scrubbed(record.stack);
  if (stack != null) {
    try {
      Object.defineProperty(copy, 'stack', { value: stack, writable: true, configurable: true });
    } catch {
      // A host object whose stack cannot be redefined keeps the copy's own.
    }
  }
  if (depth < MAX_DEPTH) {
    if (record.cause !== undefined) {
      Object.defineProperty(copy, 'cause', {
        value: sanitizeAt(record.cause, depth + 1),
        writable: true,
        configurable: true,
      });
    }
    if (Array.isArray(record.errors)) {
      out.errors = record.errors.slice(0, MAX_MEMBERS).map((member) => sanitizeAt(member, depth + 1));
    }
  }
  return copy;
}

function sanitizeAt(cause: unknown, depth: number): unknown {
  if (typeof cause === 'string') return redactSecrets(cause);
  if (cause == null || typeof cause !== 'object') return cause;
  if (isLLMError(cause)) return cause;
  return copyError(cause, depth);
}

/**
 * What an `LLMError` keeps of the error it wraps: a copy with the name, message, code, errno, syscall and
 * stack passed through `redactSecrets`, nested causes (and AggregateError members) sanitized the same
 * way, and nothing else — third-party errors carry what they were doing (ioredis: `command.args` with
 * `AUTH <password>`; HTTP clients: request options and headers), which `console.error(err)` would print.
 * Built-in error classes (and DOMException) keep their class; an `LLMError` is kept as is (already
 * sanitized); strings are redacted; other primitives pass through.
 */
export function sanitizeCause(cause: unknown): unknown {
  return sanitizeAt(cause, 0);
}
