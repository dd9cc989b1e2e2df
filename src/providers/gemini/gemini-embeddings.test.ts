import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { createGeminiEmbeddingDialect, GEMINI_MAX_EMBED_BATCH } from './gemini-embeddings.js';
import { exchange, geminiModel, responseJson } from './test-support/gemini-fixtures.js';
import { geminiSpecValidators, specErrors } from './test-support/gemini-spec.js';

const dialect = createGeminiEmbeddingDialect();
const spec = geminiSpecValidators();
const model = geminiModel('gemini-embedding-001');

function thrown(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('Gemini embeddings', () => {
  it('batchEmbedContents as recorded (embed-batch.exchange.json): URL, body, spec-valid', () => {
    const [interaction] = exchange('gemini/embed-batch.exchange.json');
    const { value, warnings } = dialect.buildEmbeddingRequest(
      model,
      ["Ruby is a programmer's best friend", 'second'],
      {
        outputDimensionality: 768,
      },
    );
    expect(value.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
    );
    expect(value.url).not.toMatch(/key=/);
    expect(value.auth).toEqual({ scheme: 'header', name: 'x-goog-api-key' });
    const recorded = (interaction!.request.body as { requests: unknown[] }).requests[0];
    expect((value.body as { requests: unknown[] }).requests[0]).toEqual(recorded);
    expect(specErrors(spec.batchEmbedContents, value.body)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('parses the recorded vector (768 floats) in order', () => {
    const [interaction] = exchange('gemini/embed-batch.exchange.json');
    const vectors = dialect.parseEmbeddingResponse(responseJson(interaction!), 1);
    expect(vectors).toHaveLength(1);
    expect(vectors[0]).toHaveLength(768);
    expect(vectors[0]?.slice(0, 3)).toEqual([0.013796286, 0.00994793, 0.0017424807]);
    const two = dialect.parseEmbeddingResponse({ embeddings: [{ values: [1, 2] }, { values: [3, 4] }] }, 2);
    expect(two).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('one text → embedContent (body without model), with task type, title for documents, dimensions', () => {
    const { value, warnings } = dialect.buildEmbeddingRequest(model, [''], {
      taskType: 'RETRIEVAL_DOCUMENT',
      title: 'Doc',
      outputDimensionality: 256,
    });
    expect(value.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent',
    );
    expect(value.body).toEqual({
      content: { parts: [{ text: ' ' }] },
      taskType: 'RETRIEVAL_DOCUMENT',
      title: 'Doc',
      outputDimensionality: 256,
    });
    expect(specErrors(spec.embedContent, value.body)).toEqual([]);
    expect(warnings).toEqual([]);
    expect(dialect.parseEmbeddingResponse({ embedding: { values: [0.5, -0.5] } }, 1)).toEqual([[0.5, -0.5]]);
  });

  it('title without RETRIEVAL_DOCUMENT and base64 encoding are warnings', () => {
    const { value, warnings } = dialect.buildEmbeddingRequest(model, ['a', 'b'], {
      taskType: 'RETRIEVAL_QUERY',
      title: 'nope',
      encodingFormat: 'base64',
    });
    expect(JSON.stringify(value.body)).not.toContain('nope');
    expect(
      (value.body as { requests: { taskType?: string; model?: string }[] }).requests.map((r) => [
        r.taskType,
        r.model,
      ]),
    ).toEqual([
      ['RETRIEVAL_QUERY', 'models/gemini-embedding-001'],
      ['RETRIEVAL_QUERY', 'models/gemini-embedding-001'],
    ]);
    expect(warnings).toHaveLength(2);
  });

  it('at most 100 texts; none is an error', () => {
    expect(dialect.maxBatchSize).toBe(100);
    expect(() =>
      dialect.buildEmbeddingRequest(model, Array(GEMINI_MAX_EMBED_BATCH).fill('x'), {}),
    ).not.toThrow();
    expect(thrown(() => dialect.buildEmbeddingRequest(model, Array(101).fill('x'), {})).code).toBe(
      'INVALID_PARAMETER',
    );
    expect(thrown(() => dialect.buildEmbeddingRequest(model, [], {})).code).toBe('INVALID_PARAMETER');
  });

  it('error-404-batch-embed.exchange.json: the body classifies as MODEL_NOT_FOUND', () => {
    const [interaction] = exchange('gemini/error-404-batch-embed.exchange.json');
    expect(interaction!.request.url).toMatch(/:batchEmbedContents$/);
    const { value } = dialect.buildEmbeddingRequest(geminiModel('nonexistent-model'), ['Hello, world!'], {
      taskType: 'RETRIEVAL_QUERY',
    });
    // Same request shape as pydantic-ai sent (one text still goes through embedContent here).
    expect(value.body).toEqual({
      content: { parts: [{ text: 'Hello, world!' }] },
      taskType: 'RETRIEVAL_QUERY',
    });
    expect(thrown(() => value.checkBody?.(responseJson(interaction!))).code).toBe('MODEL_NOT_FOUND');
    expect(thrown(() => dialect.parseEmbeddingResponse(responseJson(interaction!), 1)).code).toBe(
      'MODEL_NOT_FOUND',
    );
  });

  it('malformed answers are API_RESPONSE_INVALID', () => {
    expect(thrown(() => dialect.parseEmbeddingResponse({}, 1)).code).toBe('API_RESPONSE_INVALID');
    expect(thrown(() => dialect.parseEmbeddingResponse({ embeddings: [{ values: [1] }] }, 2)).code).toBe(
      'API_RESPONSE_INVALID',
    );
    expect(thrown(() => dialect.parseEmbeddingResponse({ embeddings: [{}] }, 1)).code).toBe(
      'API_RESPONSE_INVALID',
    );
  });
});
