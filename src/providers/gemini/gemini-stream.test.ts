import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { StreamDelta } from '../../spec/index.js';
import { GeminiStreamParser } from './gemini-stream.js';
import {
  chunksToSse,
  exchange,
  fixtureText,
  geminiModel,
  responseJson,
  responseSse,
  runStream,
  type StreamRun,
} from './test-support/gemini-fixtures.js';

const model = geminiModel('gemini-2.5-flash');
const stream = (sse: string, chunkSize?: number): StreamRun =>
  runStream(new GeminiStreamParser({ model }), sse, chunkSize);
const texts = (deltas: StreamDelta[], type: 'text-delta' | 'reasoning-delta') =>
  deltas.flatMap((delta) => (delta.type === type ? [delta.text] : []));

function llmError(run: StreamRun): LLMError {
  if (!LLMError.isInstance(run.error)) throw new Error(`expected an LLMError, got ${String(run.error)}`);
  return run.error;
}

/** The `data:` payloads of an SSE file, split on its lines (independent of blank-line framing). */
function dataLines(path: string): string[] {
  return fixtureText(path)
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
}

describe('GeminiStreamParser over the recorded streams', () => {
  it('stream-code-execution.sse.txt: text deltas in order; code parts kept; usage of the last chunk', () => {
    const run = stream(fixtureText('gemini/stream-code-execution.sse.txt'));
    expect(run.error).toBeUndefined();
    expect(texts(run.deltas, 'text-delta')).toEqual([
      "To find the sum of the first 5 prime numbers, we first need to identify them. The first five prime numbers are 2, 3, 5, 7, and 11.\n\nNow, let's calculate their",
      ' sum using a Python tool:\n\n',
      'The sum of the',
      ' first 5 prime numbers is 28.',
    ]);
    const result = run.result!;
    expect(result.contentParts.map((part) => part.type)).toEqual([
      'text',
      'executable_code',
      'code_execution_result',
      'text',
    ]);
    expect(result.contentParts[2]).toEqual({
      type: 'code_execution_result',
      outcome: 'OUTCOME_OK',
      output: 'The sum of the first 5 prime numbers is: 28\n',
    });
    expect(result.text).toBe(texts(run.deltas, 'text-delta').join(''));
    expect(result.usage).toEqual({
      promptTokens: 21 + 243,
      completionTokens: 126 + 95,
      totalTokens: 485,
      reasoningTokens: 95,
    });
    expect(result.finishReason).toBe('stop');
  });

  it('stream-empty-parts-inline-image.sse.txt: a chunk without parts is fine; the image arrives as bytes', () => {
    const run = stream(fixtureText('gemini/stream-empty-parts-inline-image.sse.txt'));
    const result = run.result!;
    expect(texts(run.deltas, 'text-delta')).toHaveLength(5);
    expect(result.text).toBe("Here's a cute cartoon kitten playing with a ball of yarn for you! ");
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.mimeType).toBe('image/png');
    expect(result.images[0]?.data.byteLength).toBe(69);
    expect(result.contentParts[1]).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(result.usage?.completionTokens).toBe(1307);
  });

  it('stream-error-mid-stream.sse.txt: the bare JSON error after the events wins over what came before', () => {
    const run = stream(fixtureText('gemini/stream-error-mid-stream.sse.txt'));
    expect(texts(run.deltas, 'text-delta')).toEqual(['First ', 'Second ']);
    expect(run.result).toBeUndefined();
    const error = llmError(run);
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.message).toContain('The operation was cancelled.');
    expect(error.details?.providerCode).toBe('CANCELLED');
  });

  it('stream-finish-message.sse.txt: "Hello world!" with finish STOP, also without the final blank line', () => {
    // The recording's last event has no terminating blank line; the decoder still delivers it at the end.
    const verbatim = stream(fixtureText('gemini/stream-finish-message.sse.txt'));
    expect(verbatim.error).toBeUndefined();
    expect(verbatim.result).toMatchObject({ text: 'Hello world!', finishReason: 'stop' });
    const framed = stream(`${fixtureText('gemini/stream-finish-message.sse.txt')}\n\n`);
    expect(texts(framed.deltas, 'text-delta')).toEqual(['Hello', ' world!']);
    expect(framed.result).toMatchObject({
      text: 'Hello world!',
      finishReason: 'stop',
      rawFinishReason: 'STOP',
    });
    expect(framed.result?.usage).toBeUndefined();
  });

  it('stream-function-call.chunks.txt: one tool-call delta with its signature; the empty text part adds nothing', () => {
    const run = stream(chunksToSse('gemini/stream-function-call.chunks.txt'));
    expect(run.deltas).toHaveLength(1);
    const delta = run.deltas[0];
    expect(delta?.type).toBe('tool-call');
    if (delta?.type !== 'tool-call') return;
    expect(delta.toolCall).toMatchObject({ name: 'weather', arguments: { location: 'San Francisco' } });
    expect(delta.toolCall.thoughtSignature).toMatch(/^EqUCCqICAb4/);
    expect(run.result?.toolCalls).toEqual([delta.toolCall]);
    expect(run.result?.contentParts).toEqual([]);
    expect(run.result?.finishReason).toBe('tool_calls');
  });

  it('stream-function-call.exchange.json: each interaction streams one complete call (sseEvents framed with CRLF)', () => {
    const interactions = exchange('gemini/stream-function-call.exchange.json');
    const numerators = interactions.map((interaction) => {
      const run = stream(responseSse(interaction));
      expect(run.result?.finishReason).toBe('tool_calls');
      expect(run.result?.toolCalls).toHaveLength(1);
      return run.result?.toolCalls[0]?.arguments.numerator;
    });
    expect(numerators).toEqual([100, 50]);
  });

  it('stream-google-search-grounding.exchange.json: 10 text deltas; grounding accumulated; the follow-up JSON answer', () => {
    const [streamed, unary] = exchange('gemini/stream-google-search-grounding.exchange.json');
    const run = stream(responseSse(streamed!));
    expect(texts(run.deltas, 'text-delta')).toHaveLength(10);
    const result = run.result!;
    expect(result.text).toMatch(/^### Weather in San Francisco is Mild and Partly Cloudy Today/);
    expect(result.text).toMatch(/The chance of rain remains low throughout the day\.$/);
    expect(result.grounding?.queries).toEqual(['weather in San Francisco today']);
    expect(result.grounding?.sources.length).toBeGreaterThan(2);
    const uris = result.grounding?.sources.map((source) => source.uri) ?? [];
    expect(new Set(uris).size).toBe(uris.length);
    expect(result.usage).toMatchObject({ promptTokens: 17 + 102, reasoningTokens: 412 });

    const second = new GeminiStreamParser({ model });
    // Interaction 2 is a unary generateContent: served on a stream, a whole JSON body arrives as trailing text.
    const answer = second.finish(JSON.stringify(responseJson(unary!)));
    expect(answer.text).toMatch(/^### Scattered Thunderstorms and Mild Temperatures in Mexico City Today/);
    expect(answer.grounding?.sources.map((source) => source.title)).toContain('yahoo.com');
  });

  it('stream-prompt-blocked.sse.txt: a prompt block is CONTENT_FILTERED, never an empty success', () => {
    const parser = new GeminiStreamParser({ model });
    const [event] = dataLines('gemini/stream-prompt-blocked.sse.txt');
    let error: unknown;
    try {
      parser.push(event!, undefined, () => {});
    } catch (caught) {
      error = caught;
    }
    expect(LLMError.isInstance(error) && error.code).toBe('CONTENT_FILTERED');
    expect(LLMError.isInstance(error) && error.details?.blockReason).toBe('SAFETY');
    // Verbatim, the single event ends with one CRLF only: the decoder still delivers it at the end.
    const verbatim = stream(fixtureText('gemini/stream-prompt-blocked.sse.txt'));
    expect(verbatim.result).toBeUndefined();
    expect(verbatim.deltas).toEqual([]);
    expect(llmError(verbatim).code).toBe('CONTENT_FILTERED');
    const framed = stream(`${fixtureText('gemini/stream-prompt-blocked.sse.txt')}\r\n`);
    expect(llmError(framed).code).toBe('CONTENT_FILTERED');
  });

  it('stream-recitation.sse.txt: RECITATION after partial text → the text with finish content_filter', () => {
    const run = stream(fixtureText('gemini/stream-recitation.sse.txt'));
    expect(texts(run.deltas, 'text-delta')).toEqual([
      'text1',
      'text2',
      'text3',
      'text4',
      'text5',
      'text6',
      'text7',
      'text8',
    ]);
    expect(run.result).toMatchObject({
      text: 'text1text2text3text4text5text6text7text8',
      finishReason: 'content_filter',
      rawFinishReason: 'RECITATION',
    });
    expect(run.result?.usage).toEqual({ promptTokens: 9, completionTokens: 261, totalTokens: 270 });
  });

  it('a RECITATION finish with nothing streamed is CONTENT_FILTERED', () => {
    const lines = dataLines('gemini/stream-recitation.sse.txt');
    const run = stream(`data: ${lines[lines.length - 1]}\r\n\r\n`);
    expect(llmError(run).code).toBe('CONTENT_FILTERED');
  });

  it('stream-text-crlf.exchange.json: CRLF framing, three deltas, final usage', () => {
    const [interaction] = exchange('gemini/stream-text-crlf.exchange.json');
    const run = stream(responseSse(interaction!), 13);
    expect(texts(run.deltas, 'text-delta')).toEqual(['The', ' capital of France', ' is Paris.\n']);
    expect(run.result).toMatchObject({ text: 'The capital of France is Paris.\n', finishReason: 'stop' });
    expect(run.result?.usage).toEqual({ promptTokens: 13, completionTokens: 8, totalTokens: 21 });
  });

  it('stream-text-thought-signature.chunks.txt: the final empty part keeps its signature as its own text part', () => {
    const run = stream(chunksToSse('gemini/stream-text-thought-signature.chunks.txt'));
    expect(texts(run.deltas, 'text-delta')).toEqual([
      'There are **3**',
      ' "r"s in strawberry.\n\nst**r**awbe**rr**y',
    ]);
    const parts = run.result?.contentParts ?? [];
    expect(parts).toHaveLength(2);
    expect(parts[0]).toEqual({
      type: 'text',
      text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
    });
    expect(parts[1]).toMatchObject({ type: 'text', text: '' });
    expect(parts[1]?.thoughtSignature).toMatch(/^EqsFCqgFAb4/);
    expect(run.result?.usage).toEqual({
      promptTokens: 9,
      completionTokens: 23 + 185,
      totalTokens: 217,
      reasoningTokens: 185,
    });
  });

  it('stream-thinking-function-call.sse.txt: reasoning deltas, then the signed call', () => {
    const run = stream(fixtureText('gemini/stream-thinking-function-call.sse.txt'));
    expect(run.deltas.map((delta) => delta.type)).toEqual([
      'reasoning-delta',
      'reasoning-delta',
      'tool-call',
    ]);
    expect(texts(run.deltas, 'reasoning-delta')[1]).toMatch(/^\*\*Determining the Approach\*\*/);
    const result = run.result!;
    expect(result.text).toBe('');
    expect(result.thoughtText).toBe(texts(run.deltas, 'reasoning-delta').join(''));
    expect(result.contentParts).toEqual([{ type: 'thought', text: result.thoughtText }]);
    expect(result.toolCalls[0]).toMatchObject({ name: 'now', arguments: {} });
    expect(result.toolCalls[0]?.thoughtSignature).toMatch(/^CiIBVKhc7vB/);
  });

  it('vertex/stream-function-call-partial-args.chunks.txt: partialArgs assembled into two complete calls', () => {
    const run = stream(chunksToSse('vertex/stream-function-call-partial-args.chunks.txt'));
    expect(run.error).toBeUndefined();
    const calls = run.deltas.flatMap((delta) => (delta.type === 'tool-call' ? [delta.toolCall] : []));
    expect(calls.map((call) => call.arguments)).toEqual([
      { location: 'Boston' },
      { location: 'San Francisco' },
    ]);
    expect(calls.map((call) => call.rawArguments)).toEqual([
      '{"location":"Boston"}',
      '{"location":"San Francisco"}',
    ]);
    expect(calls[0]?.thoughtSignature).toMatch(/^CiMBjz1rX25K/);
    expect(calls[1]?.thoughtSignature).toBeUndefined();
    expect(calls[0]?.id).not.toBe(calls[1]?.id);
    expect(run.result?.toolCalls).toEqual(calls);
    expect(run.result?.finishReason).toBe('tool_calls');
    expect(run.result?.usage).toEqual({
      promptTokens: 26,
      completionTokens: 23 + 132,
      totalTokens: 181,
      reasoningTokens: 132,
    });
  });
});

describe('GeminiStreamParser edge cases', () => {
  const event = (value: unknown) => `data: ${JSON.stringify(value)}\r\n\r\n`;

  it('a stream cut before any finish reason fails with API_RESPONSE_INVALID', () => {
    const run = stream(event({ candidates: [{ content: { parts: [{ text: 'Hel' }] } }] }));
    expect(run.deltas).toEqual([{ type: 'text-delta', text: 'Hel' }]);
    expect(llmError(run).code).toBe('API_RESPONSE_INVALID');
  });

  it('an error event in the stream throws its classified error at once', () => {
    const run = stream(
      event({ candidates: [{ content: { parts: [{ text: 'a' }] } }] }) +
        event({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Please retry in 2s.' } }) +
        event({ candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'STOP' }] }),
    );
    const error = llmError(run);
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.retryAfterMs).toBe(2000);
    expect(texts(run.deltas, 'text-delta')).toEqual(['a']);
  });

  it('a malformed chunk fails with API_RESPONSE_INVALID', () => {
    const run = stream('data: {"candidates": [\r\n\r\n');
    expect(llmError(run).code).toBe('API_RESPONSE_INVALID');
  });

  it('a stream 400 body (error-stream-http-400-invalid-argument.txt) in trailing text → INVALID_PARAMETER', () => {
    const run = stream(fixtureText('gemini/error-stream-http-400-invalid-argument.txt'));
    expect(llmError(run).code).toBe('INVALID_PARAMETER');
  });

  it('keeps pieces apart: one event per provider delta, never merged', () => {
    const run = stream(
      event({
        candidates: [
          { content: { parts: [{ text: 'think', thought: true }, { text: 'A' }, { text: 'B' }] } },
        ],
      }) + event({ candidates: [{ content: { parts: [{ text: 'C' }] }, finishReason: 'STOP' }] }),
    );
    expect(run.deltas).toEqual([
      { type: 'reasoning-delta', text: 'think' },
      { type: 'text-delta', text: 'A' },
      { type: 'text-delta', text: 'B' },
      { type: 'text-delta', text: 'C' },
    ]);
    expect(run.result?.contentParts).toEqual([
      { type: 'thought', text: 'think' },
      { type: 'text', text: 'ABC' },
    ]);
  });

  it('a signed text piece closes its part; later text starts a new part', () => {
    const run = stream(
      event({
        candidates: [{ content: { parts: [{ text: 'A' }, { text: 'B', thoughtSignature: 'c2ln' }] } }],
      }) + event({ candidates: [{ content: { parts: [{ text: 'C' }] }, finishReason: 'STOP' }] }),
    );
    expect(run.result?.contentParts).toEqual([
      { type: 'text', text: 'AB', thoughtSignature: 'c2ln' },
      { type: 'text', text: 'C' },
    ]);
  });
});
