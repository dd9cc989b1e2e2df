import { LLMError } from '../errors/llm-error.js';
import { validateEmbeddingConfig } from '../generation/embedding-config.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import { parseModelName } from '../models/model-name.js';
import type { LLMErrorCode } from '../spec/index.js';
import type { ResolvedModel, ResolvedRoute, ResolvedRouteTarget } from './resolved-config.js';
import { DEFAULT_FALLBACK_ON, type ParsedRoute } from './route-schema.js';

/** The default `fallbackOn`, shared by every route that sets none and every ad-hoc chain (read-only). */
export const DEFAULT_FALLBACK_SET: ReadonlySet<LLMErrorCode> = new Set(DEFAULT_FALLBACK_ON);

/**
 * The validated `routes` of a config, resolved against its models (`find` takes a `"Provider/model"`).
 * `route-checks.ts` has already reported unknown targets, mixed kinds and bad target configs, so a failure
 * here is a bug, reported as `CONFIGURATION_ERROR` naming the route.
 */
export function resolveRoutes(
  routes: readonly ParsedRoute[] | undefined,
  find: (name: string) => ResolvedModel | undefined,
): ResolvedRoute[] {
  if (routes == null) return [];
  return routes.map((route, index) => {
    const targets = route.targets.map((target, targetIndex): ResolvedRouteTarget => {
      const model = parseModelName(target.model) !== undefined ? find(target.model) : undefined;
      if (model === undefined) {
        throw new LLMError(
          'CONFIGURATION_ERROR',
          `routes[${index}].targets[${targetIndex}].model: unknown model "${target.model}"`,
        );
      }
      return { model, weight: target.weight ?? 1 };
    });
    const kind = targets[0]?.model.kind ?? 'chat';
    route.targets.forEach((target, targetIndex) => {
      const resolved = targets[targetIndex] as ResolvedRouteTarget;
      if (target.config == null) return;
      const path = `routes[${index}].targets[${targetIndex}].config`;
      if (kind === 'embedding') resolved.embeddingConfig = validateEmbeddingConfig(target.config, path);
      else resolved.config = validateGenerationConfig(target.config, path);
    });
    return {
      name: route.name,
      strategy: route.strategy ?? 'fallback',
      kind,
      targets,
      fallbackOn: route.fallbackOn != null ? new Set(route.fallbackOn) : DEFAULT_FALLBACK_SET,
      adHoc: false,
    };
  });
}
