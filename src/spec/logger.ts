/** One log method, pino-compatible: `(obj, msg?)` or `(msg)`. */
export type LogFn = (objOrMessage: unknown, message?: string) => void;

/** A pino-compatible logger. Every line the library writes passes the sanitizer first. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** pino's level check; when present, the library skips building debug lines that would be dropped. */
  isLevelEnabled?(level: string): boolean;
  /** pino's numeric/string level; consulted like `isLevelEnabled`. */
  level?: string;
}

/** What request/response debug logging shows. `true` shows everything; `false` logs no bodies. */
export interface DebugLogOptions {
  /** Show tool declarations. @default true */
  showTools?: boolean;
  /** Show JSON schemas (`response_format`, `responseJsonSchema`). @default true */
  showSchema?: boolean;
  /** Show Gemini safety settings and ratings. @default true */
  showSafety?: boolean;
}
