/**
 * One client of the gateway (`switchboard serve`, API.md §15): a bearer token with its limits. Only the
 * token's SHA-256 is kept once the config is loaded (memory, logs, stores, metrics name the token by `name`).
 *
 * @example { name: 'billing-service', token: '${BILLING_GATEWAY_TOKEN}', models: ['OpenAI/*', 'smart'], rpm: 600, tpm: 200000, maxConcurrent: 16, expiresAt: '2027-01-01T00:00:00Z' }
 */
export interface GatewayTokenConfig {
  /** Unique name: the `token` label of metrics and access-log lines. Example: `'billing-service'`. */
  name: string;
  /**
   * The bearer token clients send (`Authorization: Bearer <token>`), at least 16 characters; usually a
   * `${ENV}` reference. Example: `'${BILLING_GATEWAY_TOKEN}'`.
   */
  token: string;
  /**
   * Models and routes this token may call, as globs matched case-insensitively against `"Provider/model"`
   * or a route name; `*` matches any run of characters (`/` included), `?` one character.
   * @default every model and route. @example ['OpenAI/gpt-4o*', 'Gemini/*', 'smart']
   */
  models?: string[];
  /** Requests per sliding minute (a positive integer). @default unlimited */
  rpm?: number;
  /** Tokens (prompt + completion) per sliding minute (a positive integer). @default unlimited */
  tpm?: number;
  /** Requests in flight at once (a positive integer). @default unlimited */
  maxConcurrent?: number;
  /** Spend per UTC day, in USD (needs `pricing` on the models). Over it: 429 `insufficient_quota`. @default unlimited */
  budgetUsdPerDay?: number;
  /** ISO 8601 date-time after which the token is refused (401). Example: `'2027-01-01T00:00:00Z'`. @default never */
  expiresAt?: string;
}

/**
 * The `gateway` group of `LLMConfig`: the OpenAI-compatible server `switchboard serve` (API.md §15).
 *
 * @example { port: 4000, host: '0.0.0.0', tokens: [{ name: 'web', token: '${WEB_TOKEN}', rpm: 60 }] }
 */
export interface GatewayConfig {
  /** TCP port (`--port` wins). @default 4000 */
  port?: number;
  /** Interface to bind (`--host` wins). @default '127.0.0.1' */
  host?: string;
  /**
   * Client tokens. Without any, the server refuses to start unless it is bound to loopback with
   * `allowUnauthenticatedLoopback: true`. @default []
   */
  tokens?: GatewayTokenConfig[];
  /** Largest request body, in bytes; a bigger one gets 413 (and is read and discarded, never buffered). @default 10485760 (10 MiB) */
  bodyLimitBytes?: number;
  /** A gateway request's whole deadline (retries, key waits and fallbacks included). @default the config's `timeoutMs` (per provider) */
  requestTimeoutMs?: number;
  /** Serve without tokens when bound to a loopback address (127.0.0.0/8, ::1, localhost). @default false */
  allowUnauthenticatedLoopback?: boolean;
  /** Time a client has to send the request line and headers; slower clients are cut off (408). @default 10000 */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole body once the headers are in; slower clients get 408. @default 30000 */
  bodyTimeoutMs?: number;
  /** On SIGTERM: how long in-flight requests may take to finish before they are cut. @default 30000 */
  drainTimeoutMs?: number;
  /** One JSON line per request on stdout. @default true */
  accessLog?: boolean;
}
