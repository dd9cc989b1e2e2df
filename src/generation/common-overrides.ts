import { type SchemaInput, toJsonSchema } from '../schema/to-json-schema.js';
import type { LLMGenerationConfig } from '../spec/index.js';
import { type ConfigIssue, failOnIssues, oneOf } from './field-checks.js';
import { geminiCodeExecution, geminiGoogleSearch } from './native-tools.js';
import { checkComponent, REASONING_EFFORTS } from './validate-generation-config.js';

/** The four harm categories Gemini filters by default. */
export const GEMINI_SAFETY_CATEGORIES = [
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
] as const;

/** Gemini block thresholds a config may choose (`geminiSafetyThreshold`). */
export const GEMINI_BLOCK_THRESHOLDS = [
  'BLOCK_NONE',
  'BLOCK_ONLY_HIGH',
  'BLOCK_MEDIUM_AND_ABOVE',
  'BLOCK_LOW_AND_ABOVE',
  'OFF',
] as const;

/** Gemini block thresholds a per-call override accepts: the above, and the API's "unspecified". */
export const GEMINI_SAFETY_THRESHOLDS = [
  ...GEMINI_BLOCK_THRESHOLDS,
  'HARM_BLOCK_THRESHOLD_UNSPECIFIED',
] as const;
export type GeminiSafetyThreshold = (typeof GEMINI_SAFETY_THRESHOLDS)[number];

/** Aspect ratios Gemini image models (Nano Banana) accept. */
export const GEMINI_IMAGE_ASPECT_RATIOS = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
] as const;
export type GeminiImageAspectRatio = (typeof GEMINI_IMAGE_ASPECT_RATIOS)[number];

/** Gemini 3 thinking levels (any casing). */
export type GeminiThinkingLevel =
  | 'MINIMAL'
  | 'LOW'
  | 'MEDIUM'
  | 'HIGH'
  | 'minimal'
  | 'low'
  | 'medium'
  | 'high';

/** Validates one argument with a field check, throwing `INVALID_PARAMETER` naming the preset and argument. */
function argument<T>(check: ReturnType<typeof oneOf>, value: unknown, path: string): T {
  const issues: ConfigIssue[] = [];
  const normalised = check(value, path, issues);
  failOnIssues(issues, 'preset argument');
  return normalised as T;
}

function checked(config: LLMGenerationConfig): LLMGenerationConfig {
  const issues: ConfigIssue[] = [];
  if (config.reasoning) checkComponent('reasoning', config.reasoning, 'config.reasoning', issues);
  failOnIssues(issues, 'preset argument');
  return config;
}

/**
 * Ready-made configs (seed-spec §6.5, fixed). Each call returns a new object; combine them with
 * `mergeGenerationConfig`. Bad arguments throw `LLMError('INVALID_PARAMETER')` (never a silent fallback).
 */
export const CommonOverrides = Object.freeze({
  /** JSON output: `responseFormat: 'json'`, `responseMimeType: 'application/json'`. */
  geminiJson(): LLMGenerationConfig {
    return { output: { responseFormat: 'json', responseMimeType: 'application/json' } };
  },

  /** Gemini 2.5 thinking: budget `tokens` (−1 dynamic, 0 off, n tokens), thoughts shown, temperature 1. */
  gemini25Thinking(tokens = -1): LLMGenerationConfig {
    return checked({ core: { temperature: 1 }, reasoning: { budgetTokens: tokens, showThoughts: true } });
  },

  /** Gemini 3 thinking level (`MINIMAL`, `LOW`, `MEDIUM`, `HIGH`; any casing), thoughts shown. */
  gemini3Thinking(level: GeminiThinkingLevel = 'HIGH'): LLMGenerationConfig {
    const effort = argument<(typeof REASONING_EFFORTS)[number]>(
      oneOf(REASONING_EFFORTS),
      level,
      'gemini3Thinking.level',
    );
    return { reasoning: { effort, showThoughts: true } };
  },

  /** Schema-constrained JSON: zod or JSON Schema (converted, `$ref`s inlined). */
  geminiStructured(schema: SchemaInput): LLMGenerationConfig {
    return {
      output: {
        responseFormat: 'json',
        responseMimeType: 'application/json',
        responseSchema: toJsonSchema(schema),
      },
    };
  },

  /** The four standard harm categories at `threshold`. @default 'BLOCK_MEDIUM_AND_ABOVE' */
  geminiSafe(threshold: GeminiSafetyThreshold = 'BLOCK_MEDIUM_AND_ABOVE'): LLMGenerationConfig {
    const value = argument<GeminiSafetyThreshold>(
      oneOf(GEMINI_SAFETY_THRESHOLDS),
      threshold,
      'geminiSafe.threshold',
    );
    const safetySettings: Record<string, string> = {};
    for (const category of GEMINI_SAFETY_CATEGORIES) safetySettings[category] = value;
    return { safety: { safetySettings } };
  },

  /** Attaches Gemini code execution (the tool itself, nothing in `customParams`). */
  geminiCodeExecution(): LLMGenerationConfig {
    return { nativeTools: [geminiCodeExecution()] };
  },

  /** Attaches Google Search grounding (the tool itself, nothing in `customParams`). */
  geminiGrounding(): LLMGenerationConfig {
    return { nativeTools: [geminiGoogleSearch()] };
  },

  /** Image output aspect ratio for Gemini image models (one of `GEMINI_IMAGE_ASPECT_RATIOS`). */
  geminiNanoBanana(aspectRatio: GeminiImageAspectRatio = '16:9'): LLMGenerationConfig {
    const value = argument<GeminiImageAspectRatio>(
      oneOf(GEMINI_IMAGE_ASPECT_RATIOS),
      aspectRatio,
      'geminiNanoBanana.aspectRatio',
    );
    return { visual: { aspectRatio: value } };
  },

  /** High input media resolution and 2K output images. */
  geminiHighRes(): LLMGenerationConfig {
    return { visual: { mediaResolution: 'HIGH', resolution: '2K' } };
  },
});
