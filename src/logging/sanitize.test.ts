import { beforeAll, describe, expect, it } from 'vitest';
import { sanitizeForLog, sanitizeHeaderValue, sanitizeString } from './sanitize.js';
import { registerSecrets } from './secrets.js';
import {
  ALL_EXCHANGES,
  ALL_SECRETS,
  geminiEmbeddingExchange,
  geminiGenerateExchange,
  LONG_TEXT,
  openaiChatExchange,
  openaiEmbeddingExchange,
  openaiImageExchange,
  openaiResponsesExchange,
  PNG_B64,
  REGISTERED_GEMINI_KEY,
  REGISTERED_OPENAI_KEY,
  SECRET_MIDDLES,
  SIGNATURE,
} from './test-support/fake-exchanges.js';

const all = { showTools: true, showSchema: true, showSafety: true };
const none = { showTools: false, showSchema: false, showSafety: false };

const s = (value: unknown, options = all): any => sanitizeForLog(value, options);

beforeAll(() => registerSecrets([REGISTERED_OPENAI_KEY, REGISTERED_GEMINI_KEY]));

describe('sanitizeForLog: secrets', () => {
  it.each(Object.entries(ALL_EXCHANGES))('%s exchange: no secret survives anywhere', (_name, make) => {
    const text = JSON.stringify(s(make()));
    for (const secret of [...ALL_SECRETS, ...SECRET_MIDDLES]) expect(text).not.toContain(secret);
  });

  it('masks auth headers by name, keeping the scheme', () => {
    const out = s(openaiChatExchange().request.headers);
    expect(out).toEqual({
      'content-type': 'application/json',
      Authorization: 'Bearer [REDACTED]',
      'x-trace-id': 'trace-123',
    });
    expect(s(geminiGenerateExchange().request.headers)['x-goog-api-key']).toBe('[REDACTED]');
    expect(s(openaiImageExchange().request.headers)).toEqual({
      'x-api-key': '[REDACTED]',
      cookie: '[REDACTED]',
    });
    expect(s({ 'Proxy-Authorization': 'Basic dXNlcjpwYXNz', 'api-key': 'abcdefgh' })).toEqual({
      'Proxy-Authorization': 'Basic [REDACTED]',
      'api-key': '[REDACTED]',
    });
    expect(s({ 'set-cookie': ['a=1234567', 'b=7654321'] })).toEqual({
      'set-cookie': ['[REDACTED]', '[REDACTED]'],
    });
  });

  it('masks Headers instances and config-like apiKey fields', () => {
    const headers = new Headers({ authorization: 'Bearer whatever-123', accept: 'application/json' });
    expect(s(headers)).toEqual({ authorization: 'Bearer [REDACTED]', accept: 'application/json' });
    expect(s({ name: 'OpenAI', apiKeys: ['k1', 'k2'], apiKey: 'anything' })).toEqual({
      name: 'OpenAI',
      apiKeys: ['[REDACTED]', '[REDACTED]'],
      apiKey: '[REDACTED]',
    });
  });

  it('masks key= query parameters, URL passwords and registered keys in strings (by key id)', () => {
    const exchange = geminiGenerateExchange();
    expect(s(exchange.request.url)).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?alt=json&key=[REDACTED]',
    );
    expect(s('http://user:hunter22@proxy.local:3128')).toBe('http://user:[REDACTED]@proxy.local:3128');
    const echoed = s(openaiChatExchange().response.body).choices[0].message.content as string;
    expect(echoed).toBe('{"answer":"Incorrect API key provided: test…enai"}');
  });

  it('masks secrets inside object keys and error messages', () => {
    const out = s({ [REGISTERED_OPENAI_KEY]: 1, err: new Error(`bad key ${REGISTERED_GEMINI_KEY}`) });
    const text = JSON.stringify(out);
    expect(text).not.toContain(REGISTERED_OPENAI_KEY);
    expect(text).not.toContain(REGISTERED_GEMINI_KEY);
    expect(out.err.message).toBe('bad key test…mini');
  });
});

describe('sanitizeForLog: shortening', () => {
  it('shortens data URLs, inlineData, b64_json, input_image and base64 embeddings', () => {
    const chat = s(openaiChatExchange().request.body);
    expect(chat.messages[1].content[1].image_url.url).toBe(
      `data:image/png;base64,[base64 omitted, ${PNG_B64.length} chars]`,
    );
    const responses = s(openaiResponsesExchange().request.body);
    expect(responses.input[0].content[1].image_url).toBe(
      `data:image/jpeg;base64,[base64 omitted, ${PNG_B64.length} chars]`,
    );
    const gemini = s(geminiGenerateExchange().request.body);
    expect(gemini.contents[0].parts[1].inlineData).toEqual({
      mimeType: 'image/png',
      data: `[base64 omitted, ${PNG_B64.length} chars]`,
    });
    expect(s(geminiGenerateExchange().response.body).candidates[0].content.parts[1].inlineData.data).toBe(
      `[base64 omitted, ${PNG_B64.length} chars]`,
    );
    expect(s(openaiImageExchange().response.body).data[0].b64_json).toBe(
      `[base64 omitted, ${PNG_B64.length} chars]`,
    );
    expect(s(openaiEmbeddingExchange().response.body).data[1].embedding).toBe('[base64 omitted, 800 chars]');
  });

  it('shortens base64 by field even below the sniffing length, and by content in any field', () => {
    expect(s({ b64_json: 'A'.repeat(100) })).toEqual({ b64_json: '[base64 omitted, 100 chars]' });
    expect(s({ audio: { data: 'QUJD'.repeat(30), transcript: 'hi' } })).toEqual({
      audio: { data: '[base64 omitted, 120 chars]', transcript: 'hi' },
    });
    expect(s({ whatever: 'QUJD'.repeat(100) })).toEqual({ whatever: '[base64 omitted, 400 chars]' });
    expect(s({ b64_json: 'short' })).toEqual({ b64_json: 'short' });
  });

  it('shortens data URLs embedded in longer text', () => {
    const text = `![cat](data:image/png;base64,${'QUJD'.repeat(50)}) and more`;
    expect(s(text)).toBe('![cat](data:image/png;base64,[base64 omitted, 200 chars]) and more');
  });

  it('cuts long strings to first 200 + last 50 with the omitted count', () => {
    const out = s(openaiChatExchange().request.body).messages[0].content as string;
    expect(out).toBe(
      `${LONG_TEXT.slice(0, 200)}…[${LONG_TEXT.length - 250} chars omitted]…${LONG_TEXT.slice(-50)}`,
    );
    expect(s('word '.repeat(200))).toBe('word '.repeat(200)); // exactly 1000: kept
  });

  it('never splits a surrogate pair at the cut', () => {
    const text = `${'a'.repeat(199)}😀${'b '.repeat(600)}`;
    const out = s(text) as string;
    expect(out.startsWith(`${'a'.repeat(199)}…[`)).toBe(true);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('shortens vectors (OpenAI data[].embedding, Gemini embeddings[].values) but not short or mixed arrays', () => {
    const openai = s(openaiEmbeddingExchange().response.body);
    const v = openaiEmbeddingExchange().response.body.data[0]!.embedding as number[];
    expect(openai.data[0].embedding).toEqual([
      v[0],
      v[1],
      v[2],
      '…(1530 floats omitted)…',
      v[1533],
      v[1534],
      v[1535],
    ]);
    const gemini = s(geminiEmbeddingExchange().response.body);
    expect(gemini.embeddings[1].values).toHaveLength(7);
    expect(gemini.embeddings[1].values[3]).toBe('…(762 floats omitted)…');
    expect(s([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const mixed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'x'];
    expect(s(mixed)).toEqual(mixed);
  });

  it('shortens thought signatures and encrypted reasoning longer than 64', () => {
    const omitted = `[signature omitted, ${SIGNATURE.length} chars]`;
    expect(s(geminiGenerateExchange().request.body).contents[1].parts[0].thoughtSignature).toBe(omitted);
    expect(s(geminiGenerateExchange().response.body).candidates[0].content.parts[0].thoughtSignature).toBe(
      omitted,
    );
    const responses = s(openaiResponsesExchange().response.body);
    expect(responses.output[0].encrypted_content).toBe(omitted);
    expect(s(openaiChatExchange().response.body).choices[0].message.reasoning_details[0].data).toBe(omitted);
    expect(s({ thoughtSignature: 'c2hvcnQ=' })).toEqual({ thoughtSignature: 'c2hvcnQ=' });
  });

  it('keeps a real recorded Gemini response readable (fixture)', async () => {
    const { readFile } = await import('node:fs/promises');
    const url = new URL('../../fixtures/providers/gemini/generate-function-call.json', import.meta.url);
    const body = JSON.parse(await readFile(url, 'utf8'));
    const out = s(body);
    expect(out.candidates[0].content.parts[0].functionCall).toEqual({
      name: 'weather',
      args: { location: 'San Francisco' },
    });
    expect(out.candidates[0].content.parts[0].thoughtSignature).toMatch(/^\[signature omitted, \d+ chars\]$/);
    expect(out.usageMetadata).toEqual(body.usageMetadata);
  });
});

describe('sanitizeForLog: DebugLogOptions', () => {
  it('shows tools, schemas and safety by default', () => {
    const openai = s(openaiChatExchange().request.body, {} as typeof all);
    expect(openai.tools[0].function.parameters.properties.city.type).toBe('string');
    expect(openai.response_format.json_schema.schema.required).toEqual(['answer']);
    const gemini = s(geminiGenerateExchange().request.body);
    expect(gemini.safetySettings).toHaveLength(1);
    expect(gemini.generationConfig.responseJsonSchema.type).toBe('object');
  });

  it('showTools: false hides OpenAI tools and Gemini function declarations, keeping native tools', () => {
    const hideTools = { ...all, showTools: false };
    expect(s(openaiChatExchange().request.body, hideTools).tools).toBe(
      '<2 tools hidden: get_weather, search_web>',
    );
    expect(s(openaiResponsesExchange().request.body, hideTools).tools).toBe(
      '<2 tools hidden: lookup, web_search>',
    );
    expect(s(geminiGenerateExchange().request.body, hideTools).tools).toEqual([
      { functionDeclarations: '<2 tools hidden: get_weather, get_time>' },
      { googleSearch: {} },
    ]);
  });

  it('showSchema: false hides response_format.json_schema, text.format.schema and responseJsonSchema', () => {
    const hideSchema = { ...all, showSchema: false };
    expect(s(openaiChatExchange().request.body, hideSchema).response_format).toEqual({
      type: 'json_schema',
      json_schema: '<JSON Schema hidden>',
    });
    expect(s(openaiResponsesExchange().request.body, hideSchema).text.format).toEqual({
      type: 'json_schema',
      name: 'answer',
      schema: '<JSON Schema hidden>',
      strict: true,
    });
    expect(s(geminiGenerateExchange().request.body, hideSchema).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: '<JSON Schema hidden>',
      temperature: 0.2,
    });
    expect(s({ generationConfig: { responseSchema: { type: 'OBJECT' } } }, hideSchema)).toEqual({
      generationConfig: { responseSchema: '<JSON Schema hidden>' },
    });
  });

  it('showSafety: false hides safetySettings and safetyRatings (candidates and promptFeedback)', () => {
    const hideSafety = { ...all, showSafety: false };
    expect(s(geminiGenerateExchange().request.body, hideSafety).safetySettings).toBe('<safety hidden>');
    const response = s(geminiGenerateExchange().response.body, hideSafety);
    expect(response.candidates[0].safetyRatings).toBe('<safety hidden>');
    expect(response.promptFeedback.safetyRatings).toBe('<safety hidden>');
    expect(response.candidates[0].finishReason).toBe('STOP');
  });

  it('all hidden: the rest of the body is intact', () => {
    const out = s(geminiGenerateExchange().request.body, none);
    expect(out.contents[1].parts[0].functionCall).toEqual({ name: 'get_weather', args: { city: 'Paris' } });
    expect(out.generationConfig.temperature).toBe(0.2);
  });
});

describe('sanitizeForLog: structure', () => {
  it.each(Object.entries(ALL_EXCHANGES))('%s exchange: input is not mutated', (_name, make) => {
    const input = make();
    const before = structuredClone(input);
    sanitizeForLog(input, none);
    sanitizeForLog(input, all);
    expect(input).toEqual(before);
  });

  it('returns new objects, never the input', () => {
    const input = { a: { b: [1] } };
    const out = s(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(out.a).not.toBe(input.a);
    expect(out.a.b).not.toBe(input.a.b);
  });

  it('is cycle-safe and keeps shared (non-cyclic) references', () => {
    const shared = { x: 1 };
    const node: Record<string, unknown> = { shared, again: shared };
    node.self = node;
    expect(s(node)).toEqual({ shared: { x: 1 }, again: { x: 1 }, self: '[circular]' });
  });

  it('is depth-limited', () => {
    let deep: Record<string, unknown> = { leaf: REGISTERED_OPENAI_KEY };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    const text = JSON.stringify(sanitizeForLog(deep, { maxDepth: 5 }));
    expect(text).toContain('[depth limit]');
    expect(text).not.toContain(REGISTERED_OPENAI_KEY);
    expect(JSON.stringify(sanitizeForLog(deep))).toContain('[depth limit]');
  });

  it('summarises bytes, blobs, form data, dates, bigints, functions and errors', () => {
    const form = new FormData();
    form.append('model', 'gpt-image-1');
    form.append('image[]', new File([new Uint8Array(10)], 'cat.png', { type: 'image/png' }));
    form.append('image[]', new Blob([new Uint8Array(3)]));
    const cause = new Error('inner');
    const error = Object.assign(new Error('outer', { cause }), { status: 401 });
    const out = s({
      bytes: new Uint8Array(5),
      buffer: Buffer.from('hello'),
      raw: new ArrayBuffer(8),
      form,
      when: new Date(0),
      big: 10n,
      fn: function named() {},
      error,
    });
    expect(out.bytes).toBe('[5 bytes]');
    expect(out.buffer).toBe('[5 bytes]');
    expect(out.raw).toBe('[8 bytes]');
    expect(out.form).toEqual({
      model: 'gpt-image-1',
      'image[]': ['[file cat.png (image/png), 10 bytes]', '[file blob, 3 bytes]'],
    });
    expect(out.when).toBe('1970-01-01T00:00:00.000Z');
    expect(out.big).toBe('10');
    expect(out.fn).toBe('[Function named]');
    expect(out.error).toMatchObject({
      name: 'Error',
      message: 'outer',
      status: 401,
      cause: { message: 'inner' },
    });
    expect(typeof out.error.stack).toBe('string');
  });

  it('uses toJSON when an object has one (LLMError-style safe views, URLs)', () => {
    const safe = { secret: 'x', toJSON: () => ({ view: 'safe' }) };
    expect(s({ safe, url: new URL(`https://x.test/a?key=${REGISTERED_GEMINI_KEY}`) })).toEqual({
      safe: { view: 'safe' },
      url: 'https://x.test/a?key=[REDACTED]',
    });
  });
});

describe('sanitizeString / sanitizeHeaderValue', () => {
  it('sanitizes single strings and header values', () => {
    expect(sanitizeString(`Bearer ${REGISTERED_OPENAI_KEY}`)).toBe('Bearer test…enai'); // registered: by key id
    expect(sanitizeString('Bearer unregistered-token')).toBe('Bearer [REDACTED]');
    expect(sanitizeHeaderValue('Authorization', 'Token abcdefgh')).toBe('Token [REDACTED]');
    expect(sanitizeHeaderValue('x-request-id', 'req_123')).toBe('req_123');
    expect(sanitizeString('x'.repeat(50) + ' y'.repeat(600), 100)).toContain('chars omitted');
  });
});
