import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import type { ResolvedRoute } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import { createInternalLogger } from '../logging/internal-logger.js';
import type { AttemptRecord, LLMErrorCode, RouteConfig } from '../spec/index.js';
import { NO_NEEDS, needsOf } from './call-needs.js';
import { RouteChain, type RouteEnv } from './route-chain.js';
import { createRouteState } from './route-strategies.js';

const clock = () => new ManualClock(1_000_000);

function setup(route: Partial<RouteConfig> = {}, providerTimeoutMs?: number) {
  const config = resolveConfig({
    providers: [
      {
        name: 'P',
        apiType: 'openai',
        apiKeys: ['test-key-1'],
        models: [
          { name: 'a', contextWindow: 8000 },
          { name: 'b', capabilities: { toolCalling: false, inputModalities: ['text'] } },
          { name: 'c', contextWindow: 32_000 },
        ],
        ...(providerTimeoutMs != null ? { timeoutMs: providerTimeoutMs } : {}),
      },
    ],
    timeoutMs: 10_000,
    routes: [{ name: 'r', targets: ['P/a', 'P/b', 'P/c'], ...route }],
  });
  const env: RouteEnv = {
    clock: clock(),
    random: () => 0.5,
    logger: createInternalLogger(false, false),
    locale: 'en',
    timeoutMs: config.timeoutMs,
  };
  return { env, route: config.routes[0] as ResolvedRoute };
}

const attempt = (model: string, code?: LLMErrorCode): AttemptRecord => ({
  attempt: 1,
  model,
  durationMs: 1,
  waitMs: 0,
  ...(code != null ? { code } : {}),
});

function failure(code: LLMErrorCode, model: string): LLMError {
  return new LLMError(code, `${code} from ${model}`, { model, attempts: [attempt(model, code)] });
}

function thrown(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('RouteChain', () => {
  it('walks the targets on fallback codes and ends with the last error, every attempt and target listed', () => {
    const { env, route } = setup();
    const chain = new RouteChain(env, route, undefined, NO_NEEDS, {});
    const names: string[] = [];
    for (let step = chain.next(); step !== undefined; step = chain.next()) {
      names.push(step.target.model.fullName);
      chain.failed(step, failure('API_SERVER_ERROR', step.target.model.fullName), false);
    }
    expect(names).toEqual(['P/a', 'P/b', 'P/c']);
    const error = chain.exhausted();
    expect(error.model).toBe('P/c');
    expect(error.attempts?.map((a) => a.model)).toEqual(['P/a', 'P/b', 'P/c']);
    expect(error.details).toEqual({
      route: 'r',
      targets: [
        { model: 'P/a', code: 'API_SERVER_ERROR' },
        { model: 'P/b', code: 'API_SERVER_ERROR' },
        { model: 'P/c', code: 'API_SERVER_ERROR' },
      ],
    });
  });

  it('throws at once for a code outside fallbackOn, for ABORTED and for a committed target', () => {
    for (const [code, committed] of [
      ['INVALID_PARAMETER', false],
      ['ABORTED', false],
      ['API_SERVER_ERROR', true],
    ] as const) {
      const { env, route } = setup();
      const chain = new RouteChain(env, route, undefined, NO_NEEDS, {});
      const step = chain.next();
      if (step === undefined) throw new Error('no step');
      const error = thrown(() => chain.failed(step, failure(code, 'P/a'), committed));
      expect(error.code).toBe(code);
      expect(error.details?.targets).toEqual([{ model: 'P/a', code }]);
    }
  });

  it('skips targets that cannot serve the call, with warnings; all skipped → INVALID_PARAMETER', () => {
    const { env, route } = setup({ targets: ['P/b'] });
    const needs = needsOf(
      [{ role: 'user', content: [{ type: 'image', url: 'https://x.test/a.png' }] }],
      true,
    );
    const chain = new RouteChain(env, route, undefined, needs, {});
    expect(chain.next()).toBeUndefined();
    expect(chain.warnings).toEqual(['Route "r": skipped P/b: no tool calling, and the call has tools.']);
    const error = chain.exhausted();
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.details?.targets).toEqual([
      { model: 'P/b', skipped: 'no tool calling, and the call has tools' },
    ]);
  });

  it('a target configured available: false is skipped before any request, with its reason', () => {
    const { env, route } = setup();
    const a = route.targets[0]?.model;
    if (a === undefined) throw new Error('no target');
    const offline = {
      ...route,
      targets: [
        { ...route.targets[0], model: { ...a, available: false, unavailableReason: 'retired' } },
        ...route.targets.slice(1),
      ],
    } as ResolvedRoute;
    const chain = new RouteChain(env, offline, undefined, NO_NEEDS, {});
    expect(chain.next()?.target.model.fullName).toBe('P/b');
    expect(chain.warnings).toEqual([
      'Route "r": skipped P/a: unavailable (configured available: false: retired).',
    ]);
  });

  it('one deadline: each target gets what is left; the provider timeout caps a target only without a call timeout', () => {
    const { env, route } = setup({}, 3000);
    const own = new RouteChain(env, route, undefined, NO_NEEDS, { timeoutMs: 5000 });
    expect(own.next()?.timeoutMs).toBe(5000);
    const inherited = new RouteChain(env, route, undefined, NO_NEEDS, {});
    const first = inherited.next();
    expect(first?.timeoutMs).toBe(3000);
    (env.clock as ManualClock).time += 8000;
    if (first === undefined) throw new Error('no step');
    inherited.failed(first, failure('API_TIMEOUT', 'P/a'), false);
    expect(inherited.next()?.timeoutMs).toBe(2000);
  });

  it('a deadline that runs out mid-chain ends the call with API_TIMEOUT naming what was tried', () => {
    const { env, route } = setup();
    const chain = new RouteChain(env, route, undefined, NO_NEEDS, { timeoutMs: 1000 });
    const step = chain.next();
    if (step === undefined) throw new Error('no step');
    (env.clock as ManualClock).time += 1000;
    chain.failed(step, failure('API_RATE_LIMITED', 'P/a'), false);
    const error = thrown(() => chain.next());
    expect(error.code).toBe('API_TIMEOUT');
    expect(error.message).toBe(
      'Route "r": the call\'s deadline passed before P/b could be tried (tried: P/a).',
    );
    expect(error.model).toBe('P/a');
    expect(error.details?.targets).toEqual([
      { model: 'P/a', code: 'API_RATE_LIMITED' },
      { model: 'P/b', skipped: 'the deadline had passed' },
    ]);
  });

  it('after CONTEXT_LENGTH_EXCEEDED only larger known windows are tried', () => {
    const { env, route } = setup({ targets: ['P/a', 'P/b', 'P/c'] });
    const chain = new RouteChain(env, route, undefined, NO_NEEDS, {});
    const first = chain.next();
    if (first === undefined) throw new Error('no step');
    chain.failed(first, failure('CONTEXT_LENGTH_EXCEEDED', 'P/a'), false);
    expect(chain.next()?.target.model.fullName).toBe('P/c');
    expect(chain.warnings).toHaveLength(1);
  });

  it('rejects a bad call timeout', () => {
    const { env, route } = setup();
    expect(thrown(() => new RouteChain(env, route, undefined, NO_NEEDS, { timeoutMs: -1 })).message).toBe(
      'options.timeoutMs: must be a positive number of milliseconds (got -1)',
    );
  });

  it('counts calls in flight per target and releases each once', () => {
    const { env, route } = setup({ strategy: 'least_busy' });
    const state = createRouteState(3);
    const chain = new RouteChain(env, route, state, NO_NEEDS, {});
    const step = chain.next();
    if (step === undefined) throw new Error('no step');
    expect(state.inFlight).toEqual([1, 0, 0]);
    chain.succeeded(step);
    chain.release(step);
    expect(state.inFlight).toEqual([0, 0, 0]);
    expect(state.latencyMs[0]).toBe(0);
  });

  it('decorate() puts failed targets’ attempts and skip warnings before the answer’s own', () => {
    const { env, route } = setup();
    const chain = new RouteChain(env, route, undefined, NO_NEEDS, {});
    const step = chain.next();
    if (step === undefined) throw new Error('no step');
    chain.failed(step, failure('API_SERVER_ERROR', 'P/a'), false);
    const answer = { attempts: [attempt('P/b')], warnings: ['own'] };
    expect(chain.decorate(answer).attempts.map((a) => a.model)).toEqual(['P/a', 'P/b']);
    expect(answer.warnings).toEqual(['own']);
  });
});
