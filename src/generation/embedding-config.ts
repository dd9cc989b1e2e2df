import type { EmbeddingTaskType, LLMEmbeddingConfig } from '../spec/index.js';
import {
  type ConfigIssue,
  checkFields,
  type FieldCheck,
  failOnIssues,
  nonEmptyString,
  numberIn,
  oneOf,
} from './field-checks.js';

/** Every `EmbeddingTaskType`. */
export const EMBEDDING_TASK_TYPES = [
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
] as const satisfies readonly EmbeddingTaskType[];

const FIELDS: Readonly<Record<string, FieldCheck>> = {
  taskType: oneOf(EMBEDDING_TASK_TYPES),
  outputDimensionality: numberIn({ min: 0, aboveMin: true, integer: true }, 'must be a positive integer'),
  title: nonEmptyString,
  encodingFormat: oneOf(['float', 'base64']),
};

/**
 * Validates an embedding config: `taskType` one of `EmbeddingTaskType` (any casing, returned upper-case),
 * `outputDimensionality` a positive integer, `title` a non-empty string, `encodingFormat` `float`/`base64`.
 * Returns the config itself when canonical, else a normalised copy; `undefined`/`null` → `{}`.
 *
 * @throws LLMError `INVALID_PARAMETER` listing every problem by path (`details.issues`).
 */
export function validateEmbeddingConfig(config: unknown, path = 'config'): LLMEmbeddingConfig {
  if (config == null) return {};
  const issues: ConfigIssue[] = [];
  const out = checkFields(config, FIELDS, path, issues);
  failOnIssues(issues, 'embedding config');
  return out as LLMEmbeddingConfig;
}
