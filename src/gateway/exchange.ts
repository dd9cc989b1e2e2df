import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LLMUsage } from '../spec/index.js';
import type { GatewayClient } from './auth.js';

const SANE_REQUEST_ID = /^[\w.:@-]{1,128}$/;

/**
 * Controllers of finished exchanges, never aborted and with no listener left, for later exchanges: an
 * `AbortController` costs several µs to make on Node 20, on every library call the gateway makes.
 */
const idleControllers: AbortController[] = [];
const MAX_IDLE_CONTROLLERS = 1024;

/** The client's `x-request-id` when it is sane (1–128 of `[A-Za-z0-9_.:@-]`), else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * What the gateway knows of one request while it runs and when it ends: the access-log line, the metrics
 * and the accounting are all made from it.
 */
export class Exchange {
  readonly started = performance.now();
  /** Wall-clock start (epoch ms). */
  readonly startedAt = Date.now();
  client: GatewayClient | undefined;
  /** `chat`, `embeddings`, `images`, `models`, `health`, `ready`, `metrics`, or `-` when no route matched. */
  route = '-';
  /** The model (or route) asked for, as sent. */
  requested: string | undefined;
  /** The `"Provider/model"` that answered. */
  answered: string | undefined;
  status = 0;
  stream = false;
  bytesIn = 0;
  bytesOut = 0;
  /** Upstream HTTP attempts. */
  attempts = 0;
  /** Milliseconds from the start to the first byte of a stream. */
  ttfbMs: number | undefined;
  usage: LLMUsage | undefined;
  /** What the answer cost (`response.cost.totalUsd`), for a priced model. */
  costUsd: number | undefined;
  /** The OpenAI error `code` answered (or written into a stream). */
  errorCode: string | undefined;
  /** The library's error code behind a failure. */
  libraryCode: string | undefined;
  warnings: string[] | undefined;
  /** Sanitized request body, only with `debugLog`. */
  debugBody: unknown;
  private controller: AbortController | undefined;
  private aborted = false;
  private abortReason: unknown;
  private onAbort: ((reason: unknown) => void) | undefined;

  /**
   * @param request the request (an answer sent before its body was read waits for the body to be discarded)
   * @param discardMs how long that wait may last before the connection is cut
   */
  constructor(
    readonly id: string,
    readonly request?: IncomingMessage,
    readonly discardMs = 30_000,
  ) {}

  /**
   * Aborted when the client goes away before the response is complete (or the drain deadline passes); made on
   * first use (a stream is stopped through `whenAborted` instead, and needs none). Already aborted when the
   * exchange was.
   */
  get signal(): AbortSignal {
    if (this.controller == null) {
      this.controller = idleControllers.pop() ?? new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Runs `hook` once when the exchange is aborted (at once when it already was); one hook per exchange. */
  whenAborted(hook: (reason: unknown) => void): void {
    if (this.aborted) hook(this.abortReason);
    else this.onAbort = hook;
  }

  /**
   * The exchange is over and its call settled: its controller, when never aborted and with no `abort`
   * listener left (the library and undici remove theirs when a call ends), serves a later exchange.
   */
  release(): void {
    const controller = this.controller;
    if (controller == null || this.aborted || idleControllers.length >= MAX_IDLE_CONTROLLERS) return;
    this.controller = undefined;
    if (!controller.signal.aborted && getEventListeners(controller.signal, 'abort').length === 0)
      idleControllers.push(controller);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const hook = this.onAbort;
    this.onAbort = undefined;
    hook?.(reason);
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }
}
