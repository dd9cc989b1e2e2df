import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { parseEmbeddingsRequest, vectorBase64 } from './embeddings.js';
import { parseImagesRequest } from './images.js';
import { parseChatRequest } from './openai-request.js';

function paramOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (LLMError.isInstance(error) && error.code === 'INVALID_PARAMETER')
      return error.details?.param as string;
    throw error;
  }
  throw new Error('expected INVALID_PARAMETER');
}

const PNG = 'iVBORw0KGgo=';

describe('parseChatRequest', () => {
  it('maps every message role, content part, tool call and tool result', () => {
    const { value, warnings } = parseChatRequest({
      model: 'OpenAI/gpt-4o',
      messages: [
        {
          role: 'developer',
          content: [
            { type: 'text', text: 'Be ' },
            { type: 'text', text: 'brief.' },
          ],
        },
        {
          role: 'user',
          name: 'ignored',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'mp3' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '42' }] },
      ],
      user: 'someone',
      metadata: { a: 1 },
      unknown_field: true,
    });
    expect(value.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image', mimeType: 'image/png', data: PNG },
          { type: 'image', url: 'https://example.com/cat.jpg' },
          { type: 'audio', mimeType: 'audio/mpeg', data: 'AAAA' },
          { type: 'file', mimeType: 'application/pdf', data: 'JVBERi0=', name: 'a.pdf' },
        ],
      },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'x' }, rawArguments: '{"q":"x"}' }],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: '42' },
    ]);
    expect(warnings).toEqual(['messages[1].content[1].image_url.detail "high" is ignored']);
    expect(value.stream).toBe(false);
  });

  it('maps tools, tool_choice, response_format and sampling settings to the library', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const { value } = parseChatRequest({
      model: ['OpenAI/gpt-4o', 'Gemini/gemini-2.5-flash'],
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        { type: 'function', function: { name: 'f', description: 'F', parameters: schema, strict: true } },
        { type: 'function', function: { name: 'g' } },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema } },
      temperature: 0.5,
      top_p: 0.9,
      max_completion_tokens: 100,
      max_tokens: 7,
      stop: ['END'],
      seed: 3,
      reasoning_effort: 'low',
      n: 1,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(value.model).toEqual(['OpenAI/gpt-4o', 'Gemini/gemini-2.5-flash']);
    expect(value.tools).toEqual([
      { name: 'f', description: 'F', parameters: schema, strict: true },
      { name: 'g', parameters: { type: 'object', properties: {} } },
    ]);
    expect(value.toolChoice).toEqual({ name: 'f' });
    expect(value.config).toEqual({
      core: { temperature: 0.5, topP: 0.9, maxTokens: 100, stop: ['END'], seed: 3 },
      reasoning: { effort: 'low' },
      output: { responseFormat: 'json', responseSchema: schema },
    });
    expect(value).toMatchObject({ stream: true, includeUsage: true });
    expect(
      parseChatRequest({
        model: 'm/x',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_object' },
      }).value.config,
    ).toEqual({ output: { responseFormat: 'json' } });
  });

  it('refuses bad input with a 400 naming the field', () => {
    const base = { model: 'OpenAI/gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    expect(paramOf(() => parseChatRequest({ ...base, n: 2 }))).toBe('n');
    expect(paramOf(() => parseChatRequest({ ...base, model: 3 }))).toBe('model');
    expect(paramOf(() => parseChatRequest({ ...base, messages: [] }))).toBe('messages');
    expect(paramOf(() => parseChatRequest({ ...base, temperature: 'hot' }))).toBe('temperature');
    expect(paramOf(() => parseChatRequest({ ...base, max_tokens: 0 }))).toBe('max_tokens');
    expect(paramOf(() => parseChatRequest({ ...base, messages: [{ role: 'wizard', content: 'x' }] }))).toBe(
      'messages[0].role',
    );
    expect(
      paramOf(() =>
        parseChatRequest({
          ...base,
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }],
        }),
      ),
    ).toBe('messages[0].content[0].image_url.url');
    expect(paramOf(() => parseChatRequest({ ...base, tools: [{ type: 'web_search' }] }))).toBe(
      'tools[0].type',
    );
    expect(paramOf(() => parseChatRequest({ ...base, response_format: { type: 'xml' } }))).toBe(
      'response_format.type',
    );
    expect(paramOf(() => parseChatRequest({ ...base, reasoning_effort: 'max' }))).toBe('reasoning_effort');
    expect(paramOf(() => parseChatRequest([]))).toBe('body');
  });
});

describe('parseEmbeddingsRequest and base64 vectors', () => {
  it('takes strings, float or base64, dimensions; refuses token arrays', () => {
    expect(parseEmbeddingsRequest({ model: 'OpenAI/e', input: 'a', dimensions: 64 })).toEqual({
      model: 'OpenAI/e',
      input: ['a'],
      encoding: 'float',
      config: { outputDimensionality: 64 },
    });
    expect(
      parseEmbeddingsRequest({ model: 'OpenAI/e', input: ['a', 'b'], encoding_format: 'base64' }).encoding,
    ).toBe('base64');
    expect(paramOf(() => parseEmbeddingsRequest({ model: 'OpenAI/e', input: [1, 2, 3] }))).toBe('input');
    expect(paramOf(() => parseEmbeddingsRequest({ model: 'OpenAI/e', input: ['a', [1, 2]] }))).toBe(
      'input[1]',
    );
    expect(
      paramOf(() => parseEmbeddingsRequest({ model: 'OpenAI/e', input: 'a', encoding_format: 'hex' })),
    ).toBe('encoding_format');
  });

  it('base64 is the little-endian float32 bytes', () => {
    const bytes = Buffer.from(vectorBase64([1, -0.5, 0.25]), 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4), bytes.readFloatLE(8)]).toEqual([1, -0.5, 0.25]);
  });
});

describe('parseImagesRequest', () => {
  it('maps n, size, quality, output_format and response_format', () => {
    expect(
      parseImagesRequest({
        model: 'Images/gpt-image-1',
        prompt: 'a cat',
        n: 2,
        size: '1536x1024',
        quality: 'high',
        output_format: 'webp',
        response_format: 'url',
      }),
    ).toEqual({
      model: 'Images/gpt-image-1',
      prompt: 'a cat',
      responseFormat: 'url',
      config: {
        visual: { count: 2, aspectRatio: '1536x1024', quality: 'high' },
        output: { responseMimeType: 'image/webp' },
      },
    });
    expect(paramOf(() => parseImagesRequest({ model: 'Images/x', prompt: ' ' }))).toBe('prompt');
    expect(paramOf(() => parseImagesRequest({ model: 'Images/x', prompt: 'p', n: 11 }))).toBe('n');
  });
});
