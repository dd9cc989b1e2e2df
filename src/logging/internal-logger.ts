import type { DebugLogOptions, Logger } from '../spec/index.js';
import { type SanitizeOptions, sanitizeForLog, sanitizeString } from './sanitize.js';

/** The levels the library writes at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Which call and attempt a request/response line belongs to. */
export interface AttemptLogInfo {
  /** Provider name as configured. */
  provider: string;
  /** `"Provider/model"` */
  model: string;
  /** `chat`, `stream`, `embedding`, `image`. */
  operation?: string;
  /** 1-based attempt number. */
  attempt: number;
  /** Masked key id of the attempt (never the key). */
  keyId?: string;
}

/** The request side of a logged attempt. Everything is sanitized before it reaches the logger. */
export interface RequestLogInfo {
  method: string;
  url: string;
  headers?: Record<string, string> | Headers;
  body?: unknown;
  stream?: boolean;
}

/** The response side of a logged attempt. */
export interface ResponseLogInfo {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Time the attempt took. */
  durationMs: number;
  headers?: Record<string, string> | Headers;
  /** Parsed JSON body, or the raw text of a non-JSON answer (absent for streams). */
  body?: unknown;
  /** Size of the body, when known. */
  bytes?: number;
  /** The failure of the attempt (an `LLMError` logs its safe `toJSON()` view). */
  error?: unknown;
}

/**
 * The logger every module uses. Each object and message passes `sanitizeForLog` / `sanitizeString` before the
 * user's logger sees it; nothing is sanitized (or built, with the lazy forms) when the level is off; no
 * method ever throws.
 */
export interface InternalLogger {
  /** What request/response logging shows; `false` when request/response logging is off. */
  readonly debugLog: false | Required<DebugLogOptions>;
  /** Whether a line at `level` reaches the user's logger (`isLevelEnabled`, else pino's `level`). */
  isEnabled(level: LogLevel): boolean;
  isDebugEnabled(): boolean;
  /** Whether `logRequest` / `logResponse` write anything (`debugLog` set and debug enabled). */
  isRequestLogEnabled(): boolean;
  /** `(obj, msg)` or `(msg)`, like pino. */
  debug(objOrMessage: unknown, message?: string): void;
  info(objOrMessage: unknown, message?: string): void;
  warn(objOrMessage: unknown, message?: string): void;
  error(objOrMessage: unknown, message?: string): void;
  /** Calls `build` (and sanitizes its result) only when `level` is enabled. */
  lazy(level: LogLevel, build: () => unknown, message: string): void;
  /** `lazy('debug', build, message)`. */
  debugLazy(build: () => unknown, message: string): void;
  /** One debug line before an attempt is sent: method, URL, headers, body. */
  logRequest(attempt: AttemptLogInfo, request: RequestLogInfo): void;
  /**
   * One debug line when an attempt ends: status, duration, response headers and body (or error). With
   * `request`, the same line also carries the request, so each attempt is a single line.
   */
  logResponse(attempt: AttemptLogInfo, response: ResponseLogInfo, request?: RequestLogInfo): void;
}

// pino's numeric levels; other loggers without `isLevelEnabled` and with an unknown level log everything.
const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** `boolean | DebugLogOptions | undefined` (config) → what `createInternalLogger` takes. */
export function resolveDebugLog(
  value: boolean | DebugLogOptions | undefined,
): false | Required<DebugLogOptions> {
  if (value == null || value === false) return false;
  if (value === true) return { showTools: true, showSchema: true, showSafety: true };
  return {
    showTools: value.showTools ?? true,
    showSchema: value.showSchema ?? true,
    showSafety: value.showSafety ?? true,
  };
}

const noop = () => {};

/** The logger of `logger: false` (and the default): every method a no-op, every level disabled. */
export const silentLogger: InternalLogger = Object.freeze({
  debugLog: false as const,
  isEnabled: () => false,
  isDebugEnabled: () => false,
  isRequestLogEnabled: () => false,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  lazy: noop,
  debugLazy: noop,
  logRequest: noop,
  logResponse: noop,
});

/** Wraps the user's logger (or `false`) in the sanitizing, level-aware, never-throwing `InternalLogger`. */
export function createInternalLogger(
  logger: Logger | false | undefined,
  debugLog: false | Required<DebugLogOptions>,
): InternalLogger {
  if (logger === false || logger == null)
    return debugLog === false ? silentLogger : { ...silentLogger, debugLog };
  const target = logger;
  const options: SanitizeOptions = debugLog === false ? {} : debugLog;

  const isEnabled = (level: LogLevel): boolean => {
    try {
      if (typeof target[level] !== 'function') return false;
      if (typeof target.isLevelEnabled === 'function') return target.isLevelEnabled(level) !== false;
      const current = (target as { level?: unknown }).level;
      const threshold =
        typeof current === 'number'
          ? current
          : typeof current === 'string'
            ? LEVEL_VALUES[current]
            : undefined;
      return threshold === undefined || (LEVEL_VALUES[level] ?? 0) >= threshold;
    } catch {
      return true; // a broken level check must not silence the logs; the write itself is guarded
    }
  };

  const write = (level: LogLevel, objOrMessage: unknown, message: string | undefined): void => {
    try {
      if (message === undefined && typeof objOrMessage === 'string') {
        target[level](sanitizeString(objOrMessage));
      } else if (message === undefined) {
        target[level](sanitizeForLog(objOrMessage, options));
      } else {
        target[level](sanitizeForLog(objOrMessage, options), sanitizeString(message));
      }
    } catch {
      // Logging must never break a call (a throwing logger, a throwing getter on a logged object).
    }
  };

  const log = (level: LogLevel) => (objOrMessage: unknown, message?: string) => {
    if (isEnabled(level)) write(level, objOrMessage, message);
  };

  const lazy = (level: LogLevel, build: () => unknown, message: string): void => {
    if (!isEnabled(level)) return;
    let obj: unknown;
    try {
      obj = build();
    } catch {
      return;
    }
    write(level, obj, message);
  };

  const isRequestLogEnabled = () => debugLog !== false && isEnabled('debug');

  return {
    debugLog,
    isEnabled,
    isDebugEnabled: () => isEnabled('debug'),
    isRequestLogEnabled,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    lazy,
    debugLazy: (build, message) => lazy('debug', build, message),
    logRequest(attempt, request) {
      if (!isRequestLogEnabled()) return;
      write(
        'debug',
        { ...attemptFields(attempt), request: requestFields(request) },
        requestLine(attempt, request),
      );
    },
    logResponse(attempt, response, request) {
      if (!isRequestLogEnabled()) return;
      const obj: Record<string, unknown> = attemptFields(attempt);
      if (request !== undefined) obj.request = requestFields(request);
      obj.response = responseFields(response);
      write('debug', obj, responseLine(attempt, response, request));
    },
  };
}

function attemptFields(attempt: AttemptLogInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { provider: attempt.provider, model: attempt.model };
  if (attempt.operation !== undefined) out.operation = attempt.operation;
  out.attempt = attempt.attempt;
  if (attempt.keyId !== undefined) out.keyId = attempt.keyId;
  return out;
}

function requestFields(request: RequestLogInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { method: request.method, url: request.url };
  if (request.stream !== undefined) out.stream = request.stream;
  if (request.headers !== undefined) out.headers = request.headers;
  if (request.body !== undefined) out.body = request.body;
  return out;
}

function responseFields(response: ResponseLogInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (response.status !== undefined) out.status = response.status;
  out.durationMs = response.durationMs;
  if (response.bytes !== undefined) out.bytes = response.bytes;
  if (response.headers !== undefined) out.headers = response.headers;
  if (response.body !== undefined) out.body = response.body;
  if (response.error !== undefined) out.error = response.error;
  return out;
}

function requestLine(attempt: AttemptLogInfo, request: RequestLogInfo): string {
  return `→ ${request.method} ${request.url} (${attempt.model}, attempt ${attempt.attempt})`;
}

function responseLine(attempt: AttemptLogInfo, response: ResponseLogInfo, request?: RequestLogInfo): string {
  const status = response.status !== undefined ? String(response.status) : 'no response';
  const target = request !== undefined ? ` ${request.method} ${request.url}` : '';
  return `← ${status}${target} in ${Math.round(response.durationMs)} ms (${attempt.model}, attempt ${attempt.attempt})`;
}
