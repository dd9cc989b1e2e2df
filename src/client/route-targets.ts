import type { ResolvedRoute } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { mergeGenerationConfig } from '../generation/merge-generation-config.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import type { CallNeeds } from '../routes/call-needs.js';
import { RouteChain, type RouteEnv, type RouteStep } from '../routes/route-chain.js';
import { RouteStates } from '../routes/route-states.js';
import type { LLMGenerationConfig, ModelKind } from '../spec/index.js';
import { isBuilder } from './call-options-check.js';
import type { ClientContext } from './client-context.js';
import type { CallOptions, ConfigBuilderLike } from './options.js';

/** Per client: its routes' state and the environment of its route chains. */
interface ClientRoutes {
  states: RouteStates;
  env: RouteEnv;
}

// Keyed by the client's context, so the state lives and dies with the client without a field on it.
const clients = new WeakMap<ClientContext, ClientRoutes>();

/** A chain over `route` for one call of this client (its deadline starts now). */
export function chainFor(
  ctx: ClientContext,
  route: ResolvedRoute,
  needs: CallNeeds,
  options: CallOptions,
): RouteChain {
  let routes = clients.get(ctx);
  if (routes === undefined) {
    const { clock, random, logger, config } = ctx;
    routes = {
      states: new RouteStates(),
      env: { clock, random, logger, locale: config.locale, timeoutMs: config.timeoutMs },
    };
    clients.set(ctx, routes);
  }
  return new RouteChain(routes.env, route, routes.states.of(route), needs, options);
}

/** The call's own generation config, built and checked once for all targets (undefined when none). */
export function callConfigOf(
  config: LLMGenerationConfig | ConfigBuilderLike | undefined,
): LLMGenerationConfig | undefined {
  return config == null ? undefined : validateGenerationConfig(isBuilder(config) ? config.build() : config);
}

/** A target's config under the call's: the call wins field by field (API.md §14). */
export function targetConfigOf(
  target: RouteStep['target'],
  callConfig: LLMGenerationConfig | undefined,
): LLMGenerationConfig | undefined {
  if (target.config == null) return callConfig;
  return callConfig == null ? target.config : mergeGenerationConfig(target.config, callConfig);
}

/**
 * The caller's options for one target: its `"Provider/model"`, the time left, and `config` when given (the
 * target's merged under the call's); everything else as the caller gave it.
 */
export function optionsForTarget<O extends CallOptions & { config?: unknown }>(
  options: O,
  step: RouteStep,
  config: O['config'] | undefined,
): O {
  // Object.assign + assignments: a spread literal overriding a property the source has (`model`) takes a
  // slow path on V8 (~10 µs per call, measured with a stubbed pipeline).
  const out: O = Object.assign({}, options);
  out.model = step.target.model.fullName;
  out.timeoutMs = step.timeoutMs;
  if (config !== undefined) out.config = config;
  return out;
}

const KIND_WORDS: Record<ModelKind, string> = { chat: 'chat', embedding: 'embedding', image: 'image' };

/** `INVALID_PARAMETER` for a route of the wrong kind for an operation (a chat route for `embed`, …). */
export function wrongKind(route: ResolvedRoute, operation: string, wanted: string): LLMError {
  return new LLMError(
    'INVALID_PARAMETER',
    `${route.adHoc ? 'The model list' : `Route "${route.name}"`} is of ${KIND_WORDS[route.kind]} models; ${operation} needs ${wanted}.`,
    { model: route.name, details: { route: route.name, kind: route.kind } },
  );
}
