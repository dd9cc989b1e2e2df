import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { OPENAI_DIALECTS, type OpenAIDialectName } from './openai-dialects.js';
import { createOpenAIEmbeddingDialect, parseOpenAIEmbeddings } from './openai-embeddings.js';
import { validateOpenAIRequest } from './test-support/openai-spec.js';
import {
  exchangeInteractions,
  fixtureJson,
  type TestModelOptions,
  testModel,
} from './test-support/openai-test-kit.js';

const embeddingModel = (options: TestModelOptions = {}) =>
  testModel({ id: 'text-embedding-3-small', ...options });

function build(
  texts: string[],
  config = {},
  dialect: OpenAIDialectName = 'openai',
  options: TestModelOptions = {},
) {
  return createOpenAIEmbeddingDialect(dialect).buildEmbeddingRequest(
    embeddingModel({ dialect, ...options }),
    texts,
    config,
  );
}

function expectConforming(body: unknown): void {
  expect(validateOpenAIRequest('CreateEmbeddingRequest', body)).toEqual([]);
}

function failure(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LLMError);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('createOpenAIEmbeddingDialect: requests', () => {
  it('asks for base64 by default, as the recorded request did', () => {
    const { value, warnings } = build(['Hello, world!']);
    expect(value).toMatchObject({
      method: 'POST',
      url: 'https://api.openai.com/v1/embeddings',
      auth: { scheme: 'bearer' },
      stream: false,
      headers: { 'content-type': 'application/json' },
    });
    expect(value.body).toEqual(
      exchangeInteractions('openai/embeddings-base64.exchange.json')[0]?.request.body,
    );
    expect(warnings).toEqual([]);
    expectConforming(value.body);
  });

  it('sends dimensions and the format the caller picked; task type and title become warnings, not fields', () => {
    const { value, warnings } = build(['a', 'b'], {
      encodingFormat: 'float',
      outputDimensionality: 768,
      taskType: 'RETRIEVAL_DOCUMENT',
      title: 'Doc',
    });
    expect(value.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
      dimensions: 768,
    });
    expect(warnings).toEqual([
      'taskType RETRIEVAL_DOCUMENT is not supported by openai; not sent',
      'title is not supported by openai; not sent',
    ]);
    expectConforming(value.body);
  });

  it.each([
    ['zhipu', 'https://open.bigmodel.cn', 'https://open.bigmodel.cn/api/paas/v4/embeddings', undefined, 64],
    [
      'ark',
      'https://ark.cn-beijing.volces.com',
      'https://ark.cn-beijing.volces.com/api/v3/embeddings',
      'base64',
      256,
    ],
    ['openrouter', 'https://openrouter.ai/api', 'https://openrouter.ai/api/v1/embeddings', 'base64', 2048],
    [
      'openai',
      'https://generativelanguage.googleapis.com/v1beta/openai',
      'https://generativelanguage.googleapis.com/v1beta/openai/embeddings',
      undefined,
      2048,
    ],
  ] as const)('%s at %s → %s', (dialect, apiBase, url, format, batch) => {
    const { value } = build(['x'], {}, dialect, { apiBase });
    expect(value.url).toBe(url);
    expect((value.body as { encoding_format?: string }).encoding_format).toBe(format);
    expectConforming(value.body);
    expect(createOpenAIEmbeddingDialect(dialect).maxBatchSize).toBe(batch);
    expect(OPENAI_DIALECTS[dialect].embeddingMaxBatch).toBe(batch);
  });

  it('warns when base64 is asked of a dialect without it', () => {
    const { value, warnings } = build(['x'], { encodingFormat: 'base64' }, 'zhipu');
    expect(value.body).toEqual({ model: 'text-embedding-3-small', input: ['x'] });
    expect(warnings).toEqual(['encodingFormat base64 is not supported by zhipu; asked for float']);
  });

  it('checks 2xx bodies: an error object or no data throws', () => {
    const { checkBody } = build(['x']).value;
    const rateLimited = { error: { code: 429, message: 'Slow down', status: 'RESOURCE_EXHAUSTED' } };
    expect(failure(() => checkBody?.(rateLimited)).code).toBe('API_RATE_LIMITED');
    expect(failure(() => checkBody?.({ object: 'list' })).code).toBe('API_RESPONSE_INVALID');
    expect(() => checkBody?.(fixtureJson('openai/embeddings-truncated.json'))).not.toThrow();
  });
});

describe('parseOpenAIEmbeddings', () => {
  it('decodes a real base64 float32 vector', () => {
    const body = exchangeInteractions('openai/embeddings-base64.exchange.json')[0]?.response.bodyJson;
    const [vector] = parseOpenAIEmbeddings(body, 1);
    expect(vector).toHaveLength(1536);
    expect(vector?.[0]).toBeCloseTo(-0.019193023443222046, 12);
    expect(vector?.[1]).toBeCloseTo(-0.025299284607172012, 12);
    expect(vector?.[1535]).toBeCloseTo(-0.010618705302476883, 12);
    expect(Array.isArray(vector)).toBe(true);
  });

  it('reads a real float vector', () => {
    const body = JSON.parse(
      exchangeInteractions('openai/embeddings-float.exchange.json')[0]?.response.body ?? '',
    );
    const [vector] = parseOpenAIEmbeddings(body, 1);
    expect(vector).toHaveLength(768);
    expect(vector?.slice(0, 2)).toEqual([-0.060699462890625, -0.0063934326171875]);
  });

  it('returns vectors in input order by index', () => {
    const body = fixtureJson('openai/embeddings-truncated.json') as { data: unknown[] };
    const expected = [
      [0.0057293195, -0.012727811, 0.020042092, -0.013437585, 0.022833068],
      [-0.037104916, -0.05178114, -0.008340587, 0.001164541, -0.0035253682],
    ];
    expect(parseOpenAIEmbeddings(body, 2)).toEqual(expected);
    expect(parseOpenAIEmbeddings({ ...body, data: [...body.data].reverse() }, 2)).toEqual(expected);
  });

  it('decodes base64 from any buffer offset', () => {
    const floats = new Float32Array([1.5, -2.25, 3]);
    const base64 = Buffer.from(floats.buffer).toString('base64');
    const data = [2, 0, 1].map((index) => ({ index, embedding: base64 }));
    expect(parseOpenAIEmbeddings({ data }, 3)).toEqual([
      [1.5, -2.25, 3],
      [1.5, -2.25, 3],
      [1.5, -2.25, 3],
    ]);
  });

  it.each([
    ['a count mismatch', { data: [{ index: 0, embedding: [1] }] }, 2, /expected 2 vectors, got 1/],
    [
      'a repeated index',
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 0, embedding: [2] },
        ],
      },
      2,
      /repeated/,
    ],
    ['an index out of range', { data: [{ index: 5, embedding: [1] }] }, 1, /out of range/],
    ['a missing embedding', { data: [{ index: 0 }] }, 1, /embedding is missing/],
    ['a broken base64 vector', { data: [{ index: 0, embedding: 'AAAAAAA=' }] }, 1, /not float32/],
    ['no data', { object: 'list' }, 1, /no data array/],
  ])('fails with EMBEDDING_FAILED on %s', (_label, body, count, message) => {
    const error = failure(() => parseOpenAIEmbeddings(body, count));
    expect(error.code).toBe('EMBEDDING_FAILED');
    expect(error.message).toMatch(message);
  });

  it('is what the dialect parses with', () => {
    const dialect = createOpenAIEmbeddingDialect();
    expect(dialect.parseEmbeddingResponse(fixtureJson('openai/embeddings-truncated.json'), 2)).toHaveLength(
      2,
    );
  });
});
