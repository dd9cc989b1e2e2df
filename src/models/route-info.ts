import type { ResolvedRoute } from '../config/resolved-config.js';
import type { Modality, ModelCapabilities, ModelInfo } from '../spec/index.js';

/**
 * `llm.models` view of a route (API.md §14): `kind: 'route'`, no provider or apiType of its own, its targets
 * in configured order, and what at least one target can do (a call needing more skips the targets that
 * cannot serve it). `available` is true when any target is (`targetInfos` give each target's view).
 */
export function routeInfo(
  route: ResolvedRoute,
  targetInfos: readonly ModelInfo[],
): ModelInfo & { available: boolean } {
  return {
    name: route.name,
    provider: '',
    model: route.name,
    kind: 'route',
    capabilities: joinedCapabilities(targetInfos.map((info) => info.capabilities)),
    apiType: '',
    targets: route.targets.map((target) => target.model.fullName),
    strategy: route.strategy,
    targetKind: route.kind,
    // `available` joins ModelInfo with `available: false` models (API.md §2); a target without it is available.
    available: targetInfos.some((info) => (info as { available?: boolean }).available !== false),
  };
}

function joinedCapabilities(all: readonly ModelCapabilities[]): ModelCapabilities {
  const first = all[0];
  const union = (pick: (caps: ModelCapabilities) => readonly Modality[]): Modality[] => [
    ...new Set(all.flatMap(pick)),
  ];
  const any = (pick: (caps: ModelCapabilities) => boolean): boolean => all.some(pick);
  return {
    inputModalities: union((caps) => caps.inputModalities),
    outputModalities: union((caps) => caps.outputModalities),
    toolCalling: any((caps) => caps.toolCalling),
    embedding: any((caps) => caps.embedding),
    reasoningMode: first?.reasoningMode ?? 'none',
    reasoningVisibility: first?.reasoningVisibility ?? 'none',
    jsonSchema: any((caps) => caps.jsonSchema),
    nativeTools: any((caps) => caps.nativeTools),
    requiresThoughtSignatures: any((caps) => caps.requiresThoughtSignatures),
  };
}
