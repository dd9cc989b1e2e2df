import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { EMBEDDING_TASK_TYPES, validateEmbeddingConfig } from './embedding-config.js';

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    validateEmbeddingConfig(config);
  } catch (error) {
    if (!LLMError.isInstance(error)) throw error;
    expect(error.code).toBe('INVALID_PARAMETER');
    return error.details?.issues as { path: string; message: string }[];
  }
  throw new Error('expected validateEmbeddingConfig to throw');
}

describe('validateEmbeddingConfig', () => {
  it('returns a canonical config itself and treats undefined/null as empty', () => {
    const config = {
      taskType: 'RETRIEVAL_DOCUMENT',
      outputDimensionality: 768,
      title: 'Doc',
      encodingFormat: 'float',
    };
    expect(validateEmbeddingConfig(config)).toBe(config);
    expect(validateEmbeddingConfig(undefined)).toEqual({});
    expect(validateEmbeddingConfig(null)).toEqual({});
  });

  it('normalises taskType to upper case (and encodingFormat to lower case) without mutating', () => {
    const input = { taskType: 'retrieval_query', encodingFormat: 'BASE64' };
    expect(validateEmbeddingConfig(input)).toEqual({ taskType: 'RETRIEVAL_QUERY', encodingFormat: 'base64' });
    expect(input.taskType).toBe('retrieval_query');
    for (const taskType of EMBEDDING_TASK_TYPES) {
      expect(validateEmbeddingConfig({ taskType: taskType.toLowerCase() }).taskType).toBe(taskType);
    }
  });

  it('reports every bad field by path', () => {
    expect(
      issuesOf({
        taskType: 'SUMMARIZE',
        outputDimensionality: 0,
        encodingFormat: 'int8',
        title: 3,
        task: 'x',
      }),
    ).toEqual([
      { path: 'config.taskType', message: expect.stringContaining('must be one of RETRIEVAL_QUERY') },
      { path: 'config.outputDimensionality', message: 'must be a positive integer (got 0)' },
      { path: 'config.encodingFormat', message: "must be one of float, base64 (got 'int8')" },
      { path: 'config.title', message: 'must be a non-empty string (got 3)' },
      { path: 'config.task', message: expect.stringContaining('unknown field') },
    ]);
    expect(issuesOf({ outputDimensionality: 1.5 })[0]?.path).toBe('config.outputDimensionality');
    expect(issuesOf({ output_dimensionality: 8 })[0]?.message).toBe(
      'unknown field; did you mean outputDimensionality?',
    );
    expect(issuesOf('x')).toEqual([{ path: 'config', message: "must be an object (got 'x')" }]);
  });
});
