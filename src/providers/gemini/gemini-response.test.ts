import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { ParsedChat } from '../../spec/index.js';
import {
  checkGeminiBody,
  mapGeminiFinishReason,
  mapGeminiUsage,
  parseGeminiResponse,
} from './gemini-response.js';
import { exchange, fixtureJson, geminiModel, responseJson } from './test-support/gemini-fixtures.js';

const context = { model: geminiModel('gemini-2.5-flash') };
const parse = (data: unknown): ParsedChat => parseGeminiResponse(data, context);
const parseFixture = (path: string): ParsedChat => parse(fixtureJson(`gemini/${path}`));
const parseExchange = (path: string, interaction = 0): ParsedChat => {
  const recorded = exchange(`gemini/${path}`)[interaction];
  if (recorded == null) throw new Error(`no interaction ${interaction} in ${path}`);
  return parse(responseJson(recorded));
};

function thrown(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('parseGeminiResponse over the recorded answers', () => {
  it('generate-citations.json: text, stop, usage', () => {
    const parsed = parseFixture('generate-citations.json');
    expect(parsed.text).toMatch(/^Okay, let's break down quantum mechanics/);
    expect(parsed.contentParts).toEqual([{ type: 'text', text: parsed.text }]);
    expect(parsed.finishReason).toBe('stop');
    expect(parsed.rawFinishReason).toBe('STOP');
    expect(parsed.usage).toEqual({ promptTokens: 15, completionTokens: 1667, totalTokens: 1682 });
    expect(parsed.grounding).toBeUndefined();
    expect(parsed.warnings).toEqual([]);
  });

  it('generate-code-execution.json: code and result parts, tool-use tokens counted as prompt', () => {
    const parsed = parseFixture('generate-code-execution.json');
    expect(parsed.contentParts.map((part) => part.type)).toEqual([
      'executable_code',
      'code_execution_result',
      'text',
    ]);
    expect(parsed.contentParts[0]).toEqual({
      type: 'executable_code',
      language: 'PYTHON',
      code: "prime_numbers = [2, 3, 5, 7, 11]\nsum_of_primes = sum(prime_numbers)\nprint(f'{sum_of_primes=}')\n",
    });
    expect(parsed.contentParts[1]).toEqual({
      type: 'code_execution_result',
      outcome: 'OUTCOME_OK',
      output: 'sum_of_primes=28\n',
    });
    // Code is not answer text (the seed pasted fenced code into it).
    expect(parsed.text).toBe(
      'The first 5 prime numbers are 2, 3, 5, 7, and 11.\nThe sum of these numbers is:\n2 + 3 + 5 + 7 + 11 = 28',
    );
    expect(parsed.usage).toEqual({
      promptTokens: 21 + 160,
      completionTokens: 96 + 86,
      totalTokens: 363,
      reasoningTokens: 86,
    });
  });

  it('generate-code-execution-gemini-3.exchange.json: ids and signatures stay on their parts', () => {
    const parsed = parseExchange('generate-code-execution-gemini-3.exchange.json');
    const [code, result, text] = parsed.contentParts;
    expect(code).toMatchObject({ type: 'executable_code', id: 'call_46063', language: 'PYTHON' });
    expect(code?.thoughtSignature).toMatch(/^EpMCCpACARFNMg/);
    expect(result).toEqual({
      type: 'code_execution_result',
      outcome: 'OUTCOME_OK',
      output: 'result=121932631112635269\n',
      id: 'call_46063',
    });
    expect(text?.type).toBe('text');
    expect(text?.thoughtSignature).toMatch(/^Eq0BCqoBARFNMg9N/);
    expect(parsed.text).toContain('121,932,631,112,635,269');
    const second = parseExchange('generate-code-execution-gemini-3.exchange.json', 1);
    expect(second.text).toBe('OK');
    expect(second.contentParts[0]?.thoughtSignature).toMatch(/^Es8BCswB/);
  });

  it('generate-finish-other-no-content.json: finish OTHER returns empty with its message as a warning', () => {
    const parsed = parseFixture('generate-finish-other-no-content.json');
    expect(parsed).toMatchObject({ text: '', contentParts: [], toolCalls: [], finishReason: 'other' });
    expect(parsed.rawFinishReason).toBe('OTHER');
    expect(parsed.warnings).toEqual([
      'Gemini finished with OTHER: Model failed to generate content due to internal error.',
    ]);
  });

  it('generate-finish-safety-empty-content.exchange.json: a SAFETY finish with content {} is CONTENT_FILTERED', () => {
    const error = thrown(() => parseExchange('generate-finish-safety-empty-content.exchange.json'));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.retryable).toBe(false);
    expect(error.details?.finishReason).toBe('SAFETY');
    expect(JSON.stringify(error.details?.safetyRatings)).toContain('"blocked":true');
  });

  it('generate-safety-no-content-scores.json: a SAFETY candidate without content is CONTENT_FILTERED', () => {
    const error = thrown(() => parseFixture('generate-safety-no-content-scores.json'));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.details?.finishReason).toBe('SAFETY');
    expect(error.model).toBe('Gemini/gemini-2.5-flash');
  });

  it('generate-finish-safety-with-text.json: partial text is kept, finish reason content_filter', () => {
    const parsed = parseFixture('generate-finish-safety-with-text.json');
    expect(parsed.text).toBe('Safety error incoming in 5, 4, 3, 2...');
    expect(parsed.finishReason).toBe('content_filter');
    expect(parsed.rawFinishReason).toBe('SAFETY');
    expect(parsed.warnings).toEqual(['Gemini finished with SAFETY']);
  });

  it('generate-function-call-no-args.json: missing args → {}, generated unique id', () => {
    const parsed = parseFixture('generate-function-call-no-args.json');
    expect(parsed.toolCalls).toHaveLength(1);
    const call = parsed.toolCalls[0];
    expect(call).toMatchObject({ name: 'current_time', arguments: {}, rawArguments: '{}' });
    expect(call?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(call?.thoughtSignature).toBeUndefined();
    expect(parsed.finishReason).toBe('tool_calls');
    const again = parseFixture('generate-function-call-no-args.json');
    expect(again.toolCalls[0]?.id).not.toBe(call?.id);
  });

  it('generate-function-call.json: the call carries its signature; STOP with calls → tool_calls', () => {
    const parsed = parseFixture('generate-function-call.json');
    expect(parsed.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'weather',
        arguments: { location: 'San Francisco' },
        rawArguments: '{"location":"San Francisco"}',
        thoughtSignature:
          'EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5',
      },
    ]);
    expect(parsed.text).toBe('');
    expect(parsed.finishReason).toBe('tool_calls');
    expect(parsed.rawFinishReason).toBe('STOP');
    expect(parsed.usage?.reasoningTokens).toBe(893);
  });

  it('uses the Gemini call id when there is one', () => {
    const parsed = parse({
      candidates: [
        {
          content: { role: 'model', parts: [{ functionCall: { id: 'fc-7', name: 'f', args: { a: 1 } } }] },
          finishReason: 'STOP',
        },
      ],
    });
    expect(parsed.toolCalls[0]?.id).toBe('fc-7');
  });

  it('generate-google-search-grounding.json: queries and deduplicated web sources', () => {
    const parsed = parseFixture('generate-google-search-grounding.json');
    expect(parsed.text).toMatch(/^The current weather in London/);
    expect(parsed.grounding?.queries).toEqual(['current weather in London']);
    expect(parsed.grounding?.sources).toHaveLength(2);
    expect(parsed.grounding?.sources[0]).toEqual({
      title: 'accuweather.com',
      uri: expect.stringMatching(/^https:\/\/vertexaisearch\.cloud\.google\.com\/grounding-api-redirect\//),
    });
    expect(parsed.grounding?.sources[1]).toEqual({
      title: 'Weather information for locality: London',
      uri: 'https://www.google.com/search?q=weather+in+London',
    });
  });

  it('generate-implicit-cache-usage.json: cached and thinking tokens', () => {
    const parsed = parseFixture('generate-implicit-cache-usage.json');
    expect(parsed.usage).toEqual({
      promptTokens: 12013,
      completionTokens: 15 + 73,
      totalTokens: 12101,
      reasoningTokens: 73,
      cachedTokens: 11243,
    });
  });

  it('generate-json-schema.exchange.json: the JSON answer is the text', () => {
    const parsed = parseExchange('generate-json-schema.exchange.json');
    const value = JSON.parse(parsed.text) as Record<string, unknown>;
    expect(value.integerInt64).toBe(123456789012345);
    expect(value.nullableObjectField).toEqual({ innerString: 'inner object string', innerNumber: 99.99 });
    expect(parsed.finishReason).toBe('stop');
  });

  it('generate-max-tokens.exchange.json: MAX_TOKENS → length with the truncated text', () => {
    const parsed = parseExchange('generate-max-tokens.exchange.json');
    expect(parsed.finishReason).toBe('length');
    expect(parsed.rawFinishReason).toBe('MAX_TOKENS');
    expect(parsed.text).toMatch(/Wavelengths and Scattering:\*\*\n$/);
    expect(parsed.usage).toEqual({
      promptTokens: 7,
      completionTokens: 197,
      totalTokens: 204,
      reasoningTokens: 48,
    });
    expect(parsed.warnings).toEqual([]);
  });

  it('generate-parallel-function-calls.exchange.json: only the first call carries the signature', () => {
    const parsed = parseExchange('generate-parallel-function-calls.exchange.json');
    expect(parsed.toolCalls.map((call) => call.name)).toEqual(['weather', 'best_language_to_learn']);
    expect(parsed.toolCalls[0]?.thoughtSignature).toMatch(/^CpEDARFNMg9f55m3/);
    expect(parsed.toolCalls[1]?.thoughtSignature).toBeUndefined();
    expect(parsed.toolCalls[1]?.arguments).toEqual({});
    expect(new Set(parsed.toolCalls.map((call) => call.id)).size).toBe(2);
    const final = parseExchange('generate-parallel-function-calls.exchange.json', 1);
    expect(final.text).toBe(
      'The weather in Berlin (52.5200, 13.4050) is 15°C with a wind of 10 km/h. The best language to learn is Ruby.',
    );
  });

  it('generate-prompt-blocked.json: no candidates + blockReason → CONTENT_FILTERED with the reason', () => {
    const error = thrown(() => parseFixture('generate-prompt-blocked.json'));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.details?.blockReason).toBe('SAFETY');
    expect(error.details?.blockReasonMessage).toBeUndefined();
    // checkBody lets a block through to the parser (it is not a malformed answer).
    expect(() => checkGeminiBody(fixtureJson('gemini/generate-prompt-blocked.json'), context)).not.toThrow();
  });

  it('generate-prompt-blocked-with-message.json: blockReasonMessage in details and message', () => {
    const error = thrown(() => parseFixture('generate-prompt-blocked-with-message.json'));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.details).toMatchObject({ blockReason: 'SAFETY', blockReasonMessage: 'Reasons' });
    expect(error.message).toContain('Reasons');
  });

  it('generate-text-thought-signature.json: the text part keeps its signature', () => {
    const parsed = parseFixture('generate-text-thought-signature.json');
    expect(parsed.contentParts).toEqual([
      {
        type: 'text',
        text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
        thoughtSignature:
          'EtoFCtcFAb4+9vtfe4MXRxQjw48U1WKrR/7lYsgFkVi/bepqsSPjY0VU7HEzkeCBIfy1fu5t9aUZ4IZ65aWagqbBrV45fc97olcg',
      },
    ]);
    expect(parsed.thoughtText).toBeUndefined();
  });

  it('generate-thinking-function-call.json: thought summary → thoughtText and a thought part, not text', () => {
    const parsed = parseFixture('generate-thinking-function-call.json');
    expect(parsed.text).toBe('');
    expect(parsed.thoughtText).toMatch(/^\*\*Thinking Through the New Year's Eve Calculation\*\*/);
    expect(parsed.contentParts).toEqual([{ type: 'thought', text: parsed.thoughtText }]);
    expect(parsed.toolCalls).toHaveLength(1);
    expect(parsed.toolCalls[0]).toMatchObject({ name: 'now', arguments: {} });
    expect(parsed.toolCalls[0]?.thoughtSignature).toMatch(/^CtQOAVSoXO74/);
  });

  it('generate-thought-part.exchange.json: a thought-only answer cut by MAX_TOKENS', () => {
    const parsed = parseExchange('generate-thought-part.exchange.json');
    expect(parsed.text).toBe('');
    expect(parsed.thoughtText).toMatch(/^\*\*Breaking Down the Sum of Natural Numbers\*\*/);
    expect(parsed.finishReason).toBe('length');
  });

  it('generate-unknown-enums.json: an unknown finish reason → other, raw kept', () => {
    const parsed = parseFixture('generate-unknown-enums.json');
    expect(parsed.text).toBe('Some text');
    expect(parsed.finishReason).toBe('other');
    expect(parsed.rawFinishReason).toBe('FAKE_NEW_FINISH_REASON');
  });

  it('generate-url-context.json: retrieved URLs become sources; no queries', () => {
    const parsed = parseFixture('generate-url-context.json');
    expect(parsed.grounding).toEqual({
      queries: [],
      sources: [{ title: 'BERKSHIRE HATHAWAY INC.', uri: 'https://berkshirehathaway.com' }],
    });
    expect(parsed.usage?.promptTokens).toBe(15 + 424);
  });
});

describe('Gemini answer edge cases', () => {
  it('keeps a signature that came on an empty text part', () => {
    const parsed = parse({
      candidates: [
        {
          content: { parts: [{ text: 'Hi' }, { text: '', thoughtSignature: 'c2ln' }] },
          finishReason: 'STOP',
        },
      ],
    });
    expect(parsed.text).toBe('Hi');
    expect(parsed.contentParts).toEqual([
      { type: 'text', text: 'Hi' },
      { type: 'text', text: '', thoughtSignature: 'c2ln' },
    ]);
  });

  it('inlineData → image bytes and an image part with its signature; thought images are skipped', () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQImWNwav0CAALIAbzDqqRyAAAAAElFTkSuQmCC';
    const parsed = parse({
      candidates: [
        {
          content: {
            parts: [
              { inlineData: { mimeType: 'image/png', data: 'AAAA' }, thought: true },
              { inlineData: { mimeType: 'image/png', data: png }, thoughtSignature: 'c2ln' },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });
    expect(parsed.images).toHaveLength(1);
    expect(parsed.images[0]?.mimeType).toBe('image/png');
    expect(Array.from(parsed.images[0]?.data.slice(0, 4) ?? [])).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(parsed.contentParts).toEqual([
      { type: 'image', mimeType: 'image/png', data: png, thoughtSignature: 'c2ln' },
    ]);
  });

  it('maps every documented finish reason', () => {
    expect(mapGeminiFinishReason('STOP', false)).toBe('stop');
    expect(mapGeminiFinishReason('STOP', true)).toBe('tool_calls');
    expect(mapGeminiFinishReason('MAX_TOKENS', false)).toBe('length');
    for (const raw of ['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'IMAGE_SAFETY']) {
      expect(mapGeminiFinishReason(raw, false)).toBe('content_filter');
    }
    expect(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false)).toBe('error');
    expect(mapGeminiFinishReason('OTHER', false)).toBe('other');
    expect(mapGeminiFinishReason('SOMETHING_NEW', false)).toBe('other');
  });

  it('MALFORMED_FUNCTION_CALL → finish reason error with a warning', () => {
    const parsed = parse({
      candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'MALFORMED_FUNCTION_CALL' }],
    });
    expect(parsed.finishReason).toBe('error');
    expect(parsed.warnings[0]).toContain('MALFORMED_FUNCTION_CALL');
  });

  it('usage without token counts (Vertex trafficType only) is no usage', () => {
    expect(mapGeminiUsage({ trafficType: 'ON_DEMAND' })).toBeUndefined();
    expect(mapGeminiUsage({ promptTokenCount: 3, totalTokenCount: 3 })).toEqual({
      promptTokens: 3,
      completionTokens: 0,
      totalTokens: 3,
    });
  });

  it('checkBody: no candidates and no prompt feedback → API_RESPONSE_INVALID (retryable)', () => {
    for (const body of [{}, { candidates: [] }, { usageMetadata: { promptTokenCount: 1 } }, 'text', null]) {
      const error = thrown(() => checkGeminiBody(body, context));
      expect(error.code).toBe('API_RESPONSE_INVALID');
      expect(error.retryable).toBe(true);
    }
  });

  it('checkBody: an error object inside a 200 body is classified by its own status', () => {
    const error = thrown(() =>
      checkGeminiBody({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'slow down' } }, context),
    );
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.provider).toBe('Gemini');
  });
});
