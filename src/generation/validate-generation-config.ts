import { isPlainObject } from '../schema/copy-plain.js';
import { isZodSchema } from '../schema/is-zod-schema.js';
import { toJsonSchema } from '../schema/to-json-schema.js';
import type { LLMGenerationConfig } from '../spec/index.js';
import {
  arrayOf,
  booleanField,
  type ConfigIssue,
  checkFields,
  describe,
  type FieldCheck,
  failOnIssues,
  nonEmptyString,
  numberIn,
  oneOf,
  plainObject,
} from './field-checks.js';
import { checkProviderTool } from './native-tools.js';

/** Reasoning effort levels (API casing). */
export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
/** Function-calling modes; `required` (OpenAI's word) is accepted for `ANY`. */
export const TOOL_MODES = ['AUTO', 'ANY', 'NONE'] as const;
export const RESPONSE_MODALITIES = ['TEXT', 'IMAGE', 'AUDIO'] as const;
export const STRUCTURED_OUTPUT_STRATEGIES = ['native', 'tool_call', 'prompt'] as const;
export const MEDIA_RESOLUTIONS = ['LOW', 'MEDIUM', 'HIGH'] as const;

const stopField: FieldCheck = (value, path, issues) => {
  if (typeof value === 'string') return value;
  return arrayOf((item, at, list) => {
    if (typeof item !== 'string')
      list.push({ path: at, message: `must be a string (got ${describe(item)})` });
    return item;
  })(value, path, issues);
};

const budgetTokens: FieldCheck = (value, path, issues) => {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (value === -1 || value === 0 || (value > 0 && value < 1) || (value >= 1 && Number.isSafeInteger(value)));
  if (!ok) {
    issues.push({
      path,
      message: `must be -1 (dynamic), 0 (off), a whole number of tokens or a fraction between 0 and 1 (got ${describe(value)})`,
    });
  }
  return value;
};

const aspectRatio: FieldCheck = (value, path, issues) => {
  if (typeof value !== 'string' || !/^(\d+:\d+|\d+x\d+|auto)$/i.test(value)) {
    issues.push({
      path,
      message: `must be a ratio such as '16:9' or a size such as '1024x1024' (got ${describe(value)})`,
    });
  }
  return value;
};

const responseFormat: FieldCheck = (value, path, issues) => {
  if (isPlainObject(value)) return value;
  return oneOf(['text', 'json', 'multimodal'])(value, path, issues);
};

const responseSchema: FieldCheck = (value, path, issues) => {
  // A zod schema given where a JSON Schema is expected is converted (cached, so cheap after the first call).
  if (isZodSchema(value)) {
    try {
      return toJsonSchema(value);
    } catch (error) {
      issues.push({ path, message: error instanceof Error ? error.message : String(error) });
      return value;
    }
  }
  return plainObject(value, path, issues);
};

const stringRecord: FieldCheck = (value, path, issues) => {
  if (!isPlainObject(value)) {
    issues.push({ path, message: `must be an object of category → threshold (got ${describe(value)})` });
    return value;
  }
  for (const [key, threshold] of Object.entries(value)) {
    if (typeof threshold !== 'string') {
      issues.push({ path: `${path}.${key}`, message: `must be a string (got ${describe(threshold)})` });
    }
  }
  return value;
};

const nativeTools: FieldCheck = (value, path, issues) => {
  if (!Array.isArray(value)) {
    issues.push({ path, message: `must be an array of provider tools (got ${describe(value)})` });
    return value;
  }
  value.forEach((tool, i) => {
    checkProviderTool(tool, `${path}[${i}]`, issues);
  });
  return value;
};

/** Field checks per component (the ranges of seed-spec §6.2). */
const COMPONENTS: Readonly<Record<string, Readonly<Record<string, FieldCheck>>>> = {
  core: {
    temperature: numberIn({ min: 0, max: 2 }, 'must be between 0 and 2'),
    maxTokens: numberIn({ min: 0, aboveMin: true, integer: true }, 'must be a positive integer'),
    topP: numberIn({ min: 0, max: 1 }, 'must be between 0 and 1'),
    topK: numberIn({ min: 0, aboveMin: true, integer: true }, 'must be a positive integer'),
    frequencyPenalty: numberIn({ min: -2, max: 2 }, 'must be between -2 and 2'),
    presencePenalty: numberIn({ min: -2, max: 2 }, 'must be between -2 and 2'),
    repetitionPenalty: numberIn({ min: 0, max: 2 }, 'must be between 0 and 2'),
    stop: stopField,
    seed: numberIn({ integer: true }, 'must be an integer'),
  },
  reasoning: {
    effort: oneOf(REASONING_EFFORTS),
    budgetTokens,
    showThoughts: booleanField,
  },
  visual: {
    aspectRatio,
    resolution: nonEmptyString,
    mediaResolution: oneOf(MEDIA_RESOLUTIONS),
    quality: nonEmptyString,
    background: nonEmptyString,
    style: nonEmptyString,
    count: numberIn({ min: 0, aboveMin: true, integer: true }, 'must be a positive integer'),
  },
  output: {
    responseFormat,
    responseMimeType: nonEmptyString,
    responseSchema,
    responseModalities: arrayOf(oneOf(RESPONSE_MODALITIES)),
    structuredOutputStrategy: oneOf(STRUCTURED_OUTPUT_STRATEGIES),
  },
  safety: { safetySettings: stringRecord },
  toolConfig: {
    mode: oneOf(TOOL_MODES, { required: 'ANY' }),
    allowedFunctionNames: arrayOf(nonEmptyString),
  },
};

const TOP_LEVEL: Readonly<Record<string, FieldCheck>> = {
  ...Object.fromEntries(
    Object.entries(COMPONENTS).map(([name, fields]): [string, FieldCheck] => [
      name,
      (value, path, issues) => checkFields(value, fields, path, issues),
    ]),
  ),
  nativeTools,
  customParams: plainObject,
};

/** Name of a component of `LLMGenerationConfig` that holds fields. */
export type ComponentName = 'core' | 'reasoning' | 'visual' | 'output' | 'safety' | 'toolConfig';

/** Checks one component (pushes issues); returns it, or a normalised shallow copy. */
export function checkComponent<K extends ComponentName>(
  name: K,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
): NonNullable<LLMGenerationConfig[K]> {
  return checkFields(value, COMPONENTS[name] ?? {}, path, issues) as NonNullable<LLMGenerationConfig[K]>;
}

/**
 * Validates a generation config (runs for every call that passes one; hand-written checks: ~0.2 µs for `{ core: { temperature, maxTokens } }`, ~3 µs with every field set).
 * Returns the config itself when it is valid and canonical, or a normalised copy (the input is never
 * mutated): `effort` lower-cased, `toolConfig.mode` upper-cased (`required` → `ANY`), `mediaResolution` and
 * `responseModalities` upper-cased, `structuredOutputStrategy`/`responseFormat` lower-cased, a zod
 * `responseSchema` converted to JSON Schema. `undefined`/`null` → `{}`; `null` fields count as unset.
 *
 * @throws LLMError `INVALID_PARAMETER` listing every problem by path, e.g.
 *   `config.core.temperature: must be between 0 and 2 (got 3)`; `details.issues` holds `{ path, message }[]`.
 */
export function validateGenerationConfig(config: unknown, path = 'config'): LLMGenerationConfig {
  if (config == null) return {};
  const issues: ConfigIssue[] = [];
  const out = checkFields(config, TOP_LEVEL, path, issues, 'component');
  failOnIssues(issues, 'generation config');
  return out as LLMGenerationConfig;
}
