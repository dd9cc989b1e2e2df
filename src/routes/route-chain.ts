import type { ResolvedRoute, ResolvedRouteTarget } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { errorOfAbortedSignal } from '../http/call-signal.js';
import type { InternalLogger } from '../logging/internal-logger.js';
import type { AttemptRecord, LLMErrorCode, Locale } from '../spec/index.js';
import type { Clock, Random } from '../util/clock.js';
import { type CallNeeds, skipReason } from './call-needs.js';
import { orderTargets, type RouteState, recordLatency } from './route-strategies.js';

/** What a route chain needs of its client. */
export interface RouteEnv {
  clock: Clock;
  random: Random;
  logger: InternalLogger;
  locale: Locale;
  /** The client's `timeoutMs`: a routed call's deadline unless the call sets its own. */
  timeoutMs: number;
}

/** One target's turn in a call: which target, and how long it may take. */
export interface RouteStep {
  target: ResolvedRouteTarget;
  /** The time this target may take: what is left of the call's deadline (capped by its provider's `timeoutMs` when the call set none). */
  timeoutMs: number;
  /** Index in `route.targets` (for the route's state). */
  readonly slot: number;
  readonly startedAt: number;
  /** Latency already recorded (streams: at the first event). */
  measured: boolean;
  released: boolean;
}

/** One entry of `details.targets` on a routed call's error: a target that failed (`code`) or was skipped. */
export interface TargetOutcome {
  model: string;
  code?: LLMErrorCode;
  skipped?: string;
}

/**
 * One call over a route (API.md §14). The strategy orders the targets once; the caller loops
 * `next()` → run the target → `succeeded()` or `failed()`, and throws `exhausted()` when `next()` has nothing
 * left. The chain skips targets that cannot serve the call (with a warning), keeps one deadline over all
 * targets (`API_TIMEOUT` when it runs out mid-chain), decides whether an error falls back (its code is in
 * `fallbackOn` and nothing was committed: a stream that yielded, a tool that ran), and collects the failed
 * targets' attempts and the skip warnings for the answer (`decorate`).
 *
 * @example
 * for (let step = chain.next(); step !== undefined; step = chain.next()) {
 *   try { const out = await run(step); chain.succeeded(step); return chain.decorate(out); }
 *   catch (error) { chain.failed(step, error, false); }
 * }
 * throw chain.exhausted();
 */
export class RouteChain {
  /** Attempts of the targets that failed, in order. */
  readonly attempts: AttemptRecord[] = [];
  /** Why targets were skipped, for `response.warnings`. */
  readonly warnings: string[] = [];
  private readonly outcomes: TargetOutcome[] = [];
  private readonly order: readonly number[];
  private position = 0;
  private readonly deadline: number;
  private readonly ownTimeout: boolean;
  private readonly signal: AbortSignal | undefined;
  private last: LLMError | undefined;
  private contextFloor: number | undefined;

  constructor(
    private readonly env: RouteEnv,
    private readonly route: ResolvedRoute,
    private readonly state: RouteState | undefined,
    private readonly needs: CallNeeds,
    options: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined },
  ) {
    const timeoutMs = options.timeoutMs ?? env.timeoutMs;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `options.timeoutMs: must be a positive number of milliseconds (got ${timeoutMs})`,
      );
    }
    this.ownTimeout = options.timeoutMs != null;
    this.deadline = env.clock.now() + timeoutMs;
    this.signal = options.signal;
    this.order = orderTargets(route, state, env.random);
  }

  /** The next target to try, or undefined when none is left. Skips targets that cannot serve the call. */
  next(): RouteStep | undefined {
    while (this.position < this.order.length) {
      const slot = this.order[this.position++] as number;
      const target = this.route.targets[slot] as ResolvedRouteTarget;
      const reason = skipReason(target.model, this.needs, this.contextFloor);
      if (reason !== undefined) {
        this.skip(target, reason);
        continue;
      }
      if (this.signal?.aborted && this.last !== undefined) {
        throw this.final(errorOfAbortedSignal(this.signal, { model: target.model.fullName }));
      }
      const now = this.env.clock.now();
      const left = this.deadline - now;
      if (left <= 0) throw this.timedOut(target);
      const providerTimeout = target.model.provider.timeoutMs;
      const timeoutMs = this.ownTimeout || providerTimeout >= left ? left : providerTimeout;
      if (this.state !== undefined) this.state.inFlight[slot] = (this.state.inFlight[slot] ?? 0) + 1;
      return { target, timeoutMs, slot, startedAt: now, measured: false, released: false };
    }
    return undefined;
  }

  /** A stream's first event: its latency is the time to it. */
  firstEvent(step: RouteStep): void {
    if (this.state === undefined || step.measured) return;
    step.measured = true;
    recordLatency(this.state, step.slot, this.env.clock.now() - step.startedAt, true);
  }

  /** The target answered. */
  succeeded(step: RouteStep): void {
    if (this.state !== undefined && !step.measured) {
      step.measured = true;
      recordLatency(this.state, step.slot, this.env.clock.now() - step.startedAt, true);
    }
    this.release(step);
  }

  /** The target's call is over, whatever happened (idempotent; `succeeded` and `failed` call it). */
  release(step: RouteStep): void {
    if (step.released) return;
    step.released = true;
    if (this.state !== undefined) this.state.inFlight[step.slot] = (this.state.inFlight[step.slot] ?? 1) - 1;
  }

  /**
   * The target failed. Returns when the next target should be tried; throws the error (with every target's
   * attempts and `details.targets`) when it ends the call: an abort, anything `committed` (a stream that
   * yielded, a tool that ran), or a code outside `fallbackOn`.
   */
  failed(step: RouteStep, error: unknown, committed: boolean): void {
    const failure = LLMError.from(error, 'GENERATION_FAILED');
    if (this.state !== undefined && !step.measured) {
      step.measured = true;
      recordLatency(this.state, step.slot, this.env.clock.now() - step.startedAt, false);
    }
    this.release(step);
    const model = step.target.model.fullName;
    if (failure.attempts != null) this.attempts.push(...failure.attempts);
    this.outcomes.push({ model, code: failure.code });
    if (committed || failure.code === 'ABORTED' || !this.route.fallbackOn.has(failure.code)) {
      throw this.final(failure);
    }
    if (failure.code === 'CONTEXT_LENGTH_EXCEEDED') {
      this.contextFloor = Math.max(this.contextFloor ?? 0, step.target.model.contextWindow ?? 0);
    }
    this.last = failure;
    this.env.logger.info(
      { route: this.route.name, model, code: failure.code },
      'switchboard: route target failed; trying the next target',
    );
  }

  /** The error when no target is left: the last target's, or why every target was skipped. */
  exhausted(): LLMError {
    if (this.last !== undefined) return this.final(this.last);
    const skipped = this.outcomes.map((outcome) => `${outcome.model} (${outcome.skipped ?? outcome.code})`);
    return this.final(
      new LLMError(
        'INVALID_PARAMETER',
        `Route "${this.route.name}": no target can serve this call: ${skipped.join('; ')}.`,
        { locale: this.env.locale },
      ),
    );
  }

  /** Adds the failed targets' attempts and the skip warnings to an answer (in place). */
  decorate<T extends { attempts: AttemptRecord[]; warnings: string[] }>(response: T): T {
    if (this.attempts.length > 0) response.attempts = [...this.attempts, ...response.attempts];
    if (this.warnings.length > 0) response.warnings = [...this.warnings, ...response.warnings];
    return response;
  }

  private skip(target: ResolvedRouteTarget, reason: string): void {
    const model = target.model.fullName;
    this.outcomes.push({ model, skipped: reason });
    this.warnings.push(`Route "${this.route.name}": skipped ${model}: ${reason}.`);
  }

  private timedOut(target: ResolvedRouteTarget): LLMError {
    const tried = this.outcomes.filter((outcome) => outcome.code !== undefined).map((o) => o.model);
    this.outcomes.push({ model: target.model.fullName, skipped: 'the deadline had passed' });
    const error = new LLMError(
      'API_TIMEOUT',
      `Route "${this.route.name}": the call's deadline passed before ${target.model.fullName} could be tried (tried: ${tried.join(', ') || 'none'}).`,
      { locale: this.env.locale, ...(this.last !== undefined ? { cause: this.last } : {}) },
    );
    if (this.last?.model != null) error.model = this.last.model;
    if (this.last?.provider != null) error.provider = this.last.provider;
    return this.final(error);
  }

  /** Puts every target's attempts and outcome on the error that ends the call. */
  private final(error: LLMError): LLMError {
    if (this.attempts.length > 0) error.attempts = [...this.attempts];
    // Set after construction: outcomes hold model names and codes only (nothing to redact).
    error.details = { ...error.details, route: this.route.name, targets: [...this.outcomes] };
    return error;
  }
}
