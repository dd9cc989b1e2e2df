import type { ModelCapabilities } from '../spec/index.js';
import { CAPABILITY_ALIASES, CAPABILITY_RULES, CONSERVATIVE_CAPABILITIES } from './capability-table.js';
import { globToRegExp } from './glob.js';

const compiledRules = CAPABILITY_RULES.map((rule) => ({
  patterns: rule.patterns.map((pattern) => ({ pattern, regex: globToRegExp(pattern) })),
  capabilities: rule.capabilities,
}));
const compiledAliases = CAPABILITY_ALIASES.map(([glob, canonical]) => ({
  regex: globToRegExp(glob),
  canonical,
}));

/** A registry hit: the pattern that matched and the capabilities of its family. */
export interface CapabilityMatch {
  /** The candidate name that matched (a `/`-suffix of the id, after aliasing). */
  candidate: string;
  pattern: string;
  capabilities: ModelCapabilities;
}

/**
 * Names tried for `id`, most specific first: the id, then every `/`-suffix (`a/b/c` → `a/b/c`, `b/c`, `c`),
 * each first without an OpenRouter variant tag (`:free`, `:online`), each canonicalised by the aliases.
 */
export function capabilityCandidates(id: string): string[] {
  const out: string[] = [];
  const parts = id.trim().split('/');
  for (let start = 0; start < parts.length; start++) {
    const suffix = parts.slice(start).join('/');
    if (suffix === '') continue;
    const variants = suffix.includes(':') ? [suffix.slice(0, suffix.lastIndexOf(':')), suffix] : [suffix];
    for (const variant of variants) {
      const alias = compiledAliases.find((entry) => entry.regex.test(variant));
      const name = alias ? alias.canonical : variant;
      if (name !== '' && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

/** The registry rule that describes `modelId`, or undefined for an unknown model. */
export function findCapabilityRule(modelId: string): CapabilityMatch | undefined {
  for (const candidate of capabilityCandidates(modelId)) {
    for (const rule of compiledRules) {
      const hit = rule.patterns.find((entry) => entry.regex.test(candidate));
      if (hit) return { candidate, pattern: hit.pattern, capabilities: copyCapabilities(rule.capabilities) };
    }
  }
  return undefined;
}

/**
 * What a model can do, by model family (case-insensitive). Unknown models get conservative
 * capabilities (text in and out, function calling, no JSON schema, no reasoning). Returns a fresh object.
 *
 * @example lookupCapabilities('google/gemini-2.5-pro').reasoningMode // 'budget'
 */
export function lookupCapabilities(modelId: string): ModelCapabilities {
  return findCapabilityRule(modelId)?.capabilities ?? copyCapabilities(CONSERVATIVE_CAPABILITIES);
}

/** Registry capabilities of `modelId` with per-model overrides (`ModelDetail.capabilities`) merged over them. */
export function mergeCapabilities(
  base: ModelCapabilities,
  overrides: Partial<ModelCapabilities> | undefined,
): ModelCapabilities {
  if (overrides == null) return base;
  const merged: ModelCapabilities = { ...base };
  for (const [field, value] of Object.entries(overrides) as [keyof ModelCapabilities, unknown][]) {
    if (value === undefined) continue;
    (merged as unknown as Record<string, unknown>)[field] = Array.isArray(value) ? [...value] : value;
  }
  return merged;
}

function copyCapabilities(source: Readonly<ModelCapabilities>): ModelCapabilities {
  return {
    ...source,
    inputModalities: [...source.inputModalities],
    outputModalities: [...source.outputModalities],
  };
}
