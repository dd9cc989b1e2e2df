import { LLMError } from '../errors/llm-error.js';
import { validateEmbeddingConfig } from '../generation/embedding-config.js';
import { validateGenerationConfig } from '../generation/validate-generation-config.js';
import { MODEL_NAME_FORMAT, parseModelName } from '../models/model-name.js';
import type { ConfigIssue, ModelKind } from '../spec/index.js';

/** What a config's model catalog says about a `"Provider/model"` name (see `config-checks.ts`). */
export type TargetLookup =
  | { status: 'found'; fullName: string; kind: ModelKind | undefined }
  | { status: 'missing' }
  /** Its provider entry is broken: that entry's own issue is reported instead. */
  | { status: 'unsure' };

/** The routes of a raw config, as far as they could be read: kind by lower-case name (undefined when unknown). */
export interface RouteCatalog {
  kinds: Map<string, ModelKind | undefined>;
  /** Route names as configured, in order (for messages). */
  names: string[];
}

/** What the route checks need of the config's models. */
export interface ModelLookup {
  find(name: string): TargetLookup;
  /** Every configured `"Provider/model"`, for messages. */
  configured(): string[];
}

const KIND_WORD: Record<ModelKind, string> = {
  chat: 'a chat model',
  embedding: 'an embedding model',
  image: 'an image model',
};

/**
 * The cross-field checks of `routes` (API.md §14), on the raw input so they are reported with every other
 * issue: unique names (case-insensitive), targets that are configured models (not routes), no target twice,
 * one kind per route, each target's `config` a valid generation config (embedding config on embedding routes).
 * Shapes are the schema's business: anything malformed here is skipped silently (the schema reports it).
 */
export function routeIssues(
  raw: unknown,
  models: ModelLookup,
): { issues: ConfigIssue[]; catalog: RouteCatalog } {
  const issues: ConfigIssue[] = [];
  const catalog: RouteCatalog = { kinds: new Map(), names: [] };
  if (!Array.isArray(raw)) return { issues, catalog };
  const routeNames = new Set<string>();
  for (const item of raw) {
    const name = nameOf(item);
    if (name !== undefined) routeNames.add(name.toLowerCase());
  }
  const seen = new Map<string, number>();
  raw.forEach((item: unknown, index) => {
    const at = `routes[${index}]`;
    const route = asRecord(item);
    if (route === undefined) return;
    const name = nameOf(route);
    if (name !== undefined) {
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        issues.push({
          path: `${at}.name`,
          message: `duplicate route name "${name}" (also routes[${first}]; names are case-insensitive)`,
        });
      } else seen.set(name.toLowerCase(), index);
    }
    const kind = checkTargets(route.targets, at, name, models, routeNames, issues);
    if (name !== undefined && !catalog.kinds.has(name.toLowerCase())) {
      catalog.kinds.set(name.toLowerCase(), kind);
      catalog.names.push(name);
    }
  });
  return { issues, catalog };
}

/** Checks a route's targets; returns the route's kind (its first known target's), if known. */
function checkTargets(
  targets: unknown,
  at: string,
  routeName: string | undefined,
  models: ModelLookup,
  routeNames: ReadonlySet<string>,
  issues: ConfigIssue[],
): ModelKind | undefined {
  if (!Array.isArray(targets)) return undefined;
  let kind: { kind: ModelKind; index: number } | undefined;
  const seen = new Map<string, number>();
  const configs: { value: unknown; path: string }[] = [];
  targets.forEach((item: unknown, index) => {
    const path = `${at}.targets[${index}]`;
    const target = typeof item === 'string' ? { model: item } : asRecord(item);
    if (target === undefined) return;
    if (target.config != null) configs.push({ value: target.config, path: `${path}.config` });
    const model = typeof target.model === 'string' ? target.model.trim() : undefined;
    if (model === undefined || model === '') return;
    const found = lookupTarget(model, models, routeNames);
    if (typeof found === 'string') {
      issues.push({ path: `${path}.model`, message: found });
      return;
    }
    if (found === undefined) return;
    const first = seen.get(found.fullName.toLowerCase());
    if (first !== undefined) {
      issues.push({
        path: `${path}.model`,
        message: `"${model}" is listed twice (also targets[${first}]); use weight to give a target a larger share`,
      });
      return;
    }
    seen.set(found.fullName.toLowerCase(), index);
    if (found.kind === undefined) return;
    if (kind === undefined) kind = { kind: found.kind, index };
    else if (found.kind !== kind.kind) {
      issues.push({
        path: `${path}.model`,
        message: `"${model}" is ${KIND_WORD[found.kind]}, but targets[${kind.index}] is ${KIND_WORD[kind.kind]}; every target of route ${routeName !== undefined ? `"${routeName}" ` : ''}must be of one kind`,
      });
    }
  });
  for (const config of configs) checkTargetConfig(config.value, config.path, kind?.kind, issues);
  return kind?.kind;
}

/** The target's model, or the problem with its name (undefined: unsure, its provider's own issue is reported). */
function lookupTarget(
  model: string,
  models: ModelLookup,
  routeNames: ReadonlySet<string>,
): Extract<TargetLookup, { status: 'found' }> | string | undefined {
  if (parseModelName(model) === undefined) {
    return routeNames.has(model.toLowerCase())
      ? `"${model}" is a route; targets are models (${MODEL_NAME_FORMAT}), routes cannot be nested`
      : `must be ${MODEL_NAME_FORMAT}`;
  }
  const found = models.find(model);
  if (found.status === 'found') return found;
  if (found.status === 'unsure') return undefined;
  return `unknown model "${model}"; configured: ${models.configured().join(', ') || 'none'}`;
}

function checkTargetConfig(
  value: unknown,
  path: string,
  kind: ModelKind | undefined,
  issues: ConfigIssue[],
): void {
  try {
    if (kind === 'embedding') validateEmbeddingConfig(value, path);
    else validateGenerationConfig(value, path);
  } catch (error) {
    const found = LLMError.isInstance(error) ? error.details?.issues : undefined;
    if (!Array.isArray(found)) throw error;
    for (const issue of found as ConfigIssue[]) issues.push({ path: issue.path, message: issue.message });
  }
}

function nameOf(value: unknown): string | undefined {
  const name = asRecord(value)?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
