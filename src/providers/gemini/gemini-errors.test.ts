import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMErrorCode } from '../../spec/index.js';
import { createGeminiChatDialect } from './gemini-chat-dialect.js';
import { createGeminiEmbeddingDialect } from './gemini-embeddings.js';
import {
  chatInput,
  exchange,
  fixtureJson,
  fixtureText,
  geminiModel,
  responseJson,
  runStream,
} from './test-support/gemini-fixtures.js';

const model = geminiModel('gemini-2.5-flash');
const chat = createGeminiChatDialect();
const checkBody = chat.buildChatRequest(chatInput(model)).value.checkBody!;
const embedCheck = createGeminiEmbeddingDialect().buildEmbeddingRequest(model, ['a', 'b'], {}).value
  .checkBody!;

function caught(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

/** An error body arriving on a streaming request: SSE-decoded, then the parser's end-of-stream check. */
function streamError(body: string): LLMError {
  const run = runStream(chat.createStreamParser(chatInput(model, { stream: true })), body);
  if (!LLMError.isInstance(run.error)) throw new Error('expected the stream to fail with an LLMError');
  return run.error;
}

interface Case {
  body: () => unknown;
  check: 'chat' | 'embedding' | 'stream';
  code: LLMErrorCode;
  retryAfterMs?: number;
}

const json = (path: string) => () => fixtureJson(`gemini/${path}`);
const recorded = (path: string) => () => responseJson(exchange(`gemini/${path}`)[0]!);

// Every Gemini error recording, with the API.md §4 code its body must produce through the dialect's checks.
const CASES: Record<string, Case> = {
  'error-400-api-key-invalid-debuginfo.json': {
    body: json('error-400-api-key-invalid-debuginfo.json'),
    check: 'chat',
    code: 'API_KEY_INVALID',
  },
  'error-400-api-key-invalid.exchange.json': {
    body: recorded('error-400-api-key-invalid.exchange.json'),
    check: 'chat',
    code: 'API_KEY_INVALID',
  },
  'error-400-failed-precondition-location.json': {
    body: json('error-400-failed-precondition-location.json'),
    check: 'chat',
    code: 'USER_LOCATION_NOT_SUPPORTED',
  },
  'error-403-service-disabled.json': {
    body: json('error-403-service-disabled.json'),
    check: 'chat',
    code: 'API_KEY_INVALID',
  },
  'error-404-batch-embed.exchange.json': {
    body: recorded('error-404-batch-embed.exchange.json'),
    check: 'embedding',
    code: 'MODEL_NOT_FOUND',
  },
  'error-404-model-not-found-stream.exchange.json': {
    body: () =>
      JSON.stringify(
        responseJson(exchange('gemini/error-404-model-not-found-stream.exchange.json')[0]!),
        null,
        2,
      ),
    check: 'stream',
    code: 'MODEL_NOT_FOUND',
  },
  'error-404-unknown-model.json': {
    body: json('error-404-unknown-model.json'),
    check: 'chat',
    code: 'MODEL_NOT_FOUND',
  },
  'error-429-quota-legacy.json': {
    body: json('error-429-quota-legacy.json'),
    check: 'chat',
    code: 'API_RATE_LIMITED',
  },
  'error-429-resource-exhausted.exchange.json': {
    body: recorded('error-429-resource-exhausted.exchange.json'),
    check: 'chat',
    code: 'API_RATE_LIMITED',
    retryAfterMs: 48_000,
  },
  'error-503-unavailable-high-demand.issue.json': {
    body: json('error-503-unavailable-high-demand.issue.json'),
    check: 'chat',
    code: 'API_SERVER_ERROR',
  },
  'error-503-unavailable-overloaded.issue.json': {
    body: json('error-503-unavailable-overloaded.issue.json'),
    check: 'chat',
    code: 'API_SERVER_ERROR',
  },
  'error-stream-http-400-invalid-argument.txt': {
    body: () => fixtureText('gemini/error-stream-http-400-invalid-argument.txt'),
    check: 'stream',
    code: 'INVALID_PARAMETER',
  },
  'stream-error-mid-stream.sse.txt': {
    body: () => fixtureText('gemini/stream-error-mid-stream.sse.txt'),
    check: 'stream',
    code: 'API_RESPONSE_INVALID',
  },
};

describe('Gemini error recordings through the dialect checks', () => {
  for (const [file, expected] of Object.entries(CASES)) {
    it(`${file} → ${expected.code}`, () => {
      const body = expected.body();
      const error =
        expected.check === 'stream'
          ? streamError(body as string)
          : caught(() => (expected.check === 'chat' ? checkBody : embedCheck)(body));
      expect(error.code).toBe(expected.code);
      expect(error.provider).toBe('Gemini');
      if (expected.retryAfterMs != null) expect(error.retryAfterMs).toBe(expected.retryAfterMs);
      expect(JSON.stringify(error)).not.toContain('key1234');
    });
  }

  it('covers every error recording in fixtures/providers/gemini', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(new URL('../../../fixtures/providers/gemini/', import.meta.url)).filter(
      (name) => name.startsWith('error-'),
    );
    expect(files.filter((name) => !(name in CASES))).toEqual([]);
  });
});
