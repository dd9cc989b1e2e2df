// Whole fake request/response exchanges of both dialects, full of things that must not reach a log.
// Key-shaped strings are assembled at run time and obviously fake (never a real-looking literal).

/** Registered through `registerSecrets` by the tests. */
export const REGISTERED_OPENAI_KEY = 'test-key-1-registered-openai';
export const REGISTERED_GEMINI_KEY = 'test-key-2-registered-gemini';
/** Not registered: caught by their shape only. */
export const UNREGISTERED_SK = ['sk', 'proj', 'FAKEFAKEmiddlepartUNREGISTEREDxyz'].join('-');
export const UNREGISTERED_AIZA = `AIza${'FAKEgeminiMIDDLEpartNOTreal'}Qq`;
export const URL_KEY = 'test-url-key-value-77';

export const ALL_SECRETS = [
  REGISTERED_OPENAI_KEY,
  REGISTERED_GEMINI_KEY,
  UNREGISTERED_SK,
  UNREGISTERED_AIZA,
  URL_KEY,
];
/** Middle parts of the shaped keys (the masks keep first 4 and last 4). */
export const SECRET_MIDDLES = ['FAKEFAKEmiddlepart', 'FAKEgeminiMIDDLEpart'];

export const PNG_B64 = `iVBORw0KGgoAAAANSUhEUgAA${'A'.repeat(4000)}`;
export const LONG_TEXT = `You are a helpful assistant. ${'Answer briefly and politely. '.repeat(100)}END`;
export const SIGNATURE = `EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfn${'S2w5'.repeat(50)}`;
export const vector = (n: number) => Array.from({ length: n }, (_, i) => Math.round(Math.sin(i) * 1e6) / 1e6);

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
};
const answerSchema = {
  type: 'object',
  properties: { answer: { type: 'string' }, confidence: { type: 'number' } },
  required: ['answer'],
};

export function openaiChatExchange() {
  return {
    request: {
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: {
        'content-type': 'application/json',
        Authorization: `Bearer ${REGISTERED_OPENAI_KEY}`,
        'x-trace-id': 'trace-123',
      },
      body: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: LONG_TEXT },
          {
            role: 'user',
            content: [
              { type: 'text', text: `Why is ${UNREGISTERED_SK} rejected? Also see ?key=${URL_KEY}` },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}`, detail: 'high' } },
            ],
          },
        ],
        tools: [
          {
            type: 'function',
            function: { name: 'get_weather', description: 'Weather', parameters: weatherSchema },
          },
          { type: 'function', function: { name: 'search_web', parameters: { type: 'object' } } },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: answerSchema, strict: true },
        },
      },
    },
    response: {
      status: 200,
      durationMs: 812,
      headers: { 'content-type': 'application/json', 'set-cookie': '__cf_bm=abcdef123456; path=/' },
      body: {
        id: 'chatcmpl-1',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: `{"answer":"Incorrect API key provided: ${REGISTERED_OPENAI_KEY}"}`,
              reasoning_details: [{ type: 'reasoning.encrypted', data: SIGNATURE }],
            },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      },
    },
  };
}

export function openaiResponsesExchange() {
  return {
    request: {
      method: 'POST',
      url: 'https://api.openai.com/v1/responses',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${UNREGISTERED_SK}` },
      body: {
        model: 'gpt-5-mini',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Describe this' },
              { type: 'input_image', image_url: `data:image/jpeg;base64,${PNG_B64}` },
            ],
          },
          { type: 'reasoning', id: 'rs_1', encrypted_content: SIGNATURE, summary: [] },
        ],
        tools: [{ type: 'function', name: 'lookup', parameters: weatherSchema }, { type: 'web_search' }],
        text: { format: { type: 'json_schema', name: 'answer', schema: answerSchema, strict: true } },
      },
    },
    response: {
      status: 200,
      durationMs: 1500,
      body: {
        id: 'resp_1',
        output: [
          { type: 'reasoning', id: 'rs_2', encrypted_content: SIGNATURE, summary: [] },
          { type: 'message', content: [{ type: 'output_text', text: '{"answer":"ok"}' }] },
        ],
      },
    },
  };
}

export function openaiEmbeddingExchange() {
  return {
    request: {
      method: 'POST',
      url: 'https://api.openai.com/v1/embeddings',
      headers: { 'api-key': REGISTERED_OPENAI_KEY },
      body: { model: 'text-embedding-3-small', input: ['hello'], encoding_format: 'float' },
    },
    response: {
      status: 200,
      durationMs: 90,
      body: {
        object: 'list',
        data: [
          { object: 'embedding', index: 0, embedding: vector(1536) },
          { object: 'embedding', index: 1, embedding: PNG_B64.slice(0, 800) },
        ],
      },
    },
  };
}

export function openaiImageExchange() {
  return {
    request: {
      method: 'POST',
      url: 'https://api.openai.com/v1/images/generations',
      headers: { 'x-api-key': UNREGISTERED_SK, cookie: 'session=abcdef123456' },
      body: { model: 'gpt-image-1', prompt: 'a cat', n: 1 },
    },
    response: { status: 200, durationMs: 9000, body: { created: 1, data: [{ b64_json: PNG_B64 }] } },
  };
}

export function geminiGenerateExchange() {
  return {
    request: {
      method: 'POST',
      url: `https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?alt=json&key=${URL_KEY}`,
      headers: { 'content-type': 'application/json', 'x-goog-api-key': REGISTERED_GEMINI_KEY },
      body: {
        contents: [
          {
            role: 'user',
            parts: [
              { text: `What is ${UNREGISTERED_AIZA}?` },
              { inlineData: { mimeType: 'image/png', data: PNG_B64 } },
            ],
          },
          {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SIGNATURE },
            ],
          },
        ],
        tools: [
          {
            functionDeclarations: [
              { name: 'get_weather', parameters: weatherSchema },
              { name: 'get_time', parameters: { type: 'object' } },
            ],
          },
          { googleSearch: {} },
        ],
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        generationConfig: {
          responseMimeType: 'application/json',
          responseJsonSchema: answerSchema,
          temperature: 0.2,
        },
      },
    },
    response: {
      status: 200,
      durationMs: 640,
      body: {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { text: 'here', thoughtSignature: SIGNATURE },
                { inlineData: { mimeType: 'image/png', data: PNG_B64 } },
              ],
            },
            finishReason: 'STOP',
            safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' }],
          },
        ],
        promptFeedback: {
          safetyRatings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' }],
        },
        usageMetadata: { promptTokenCount: 5 },
      },
    },
  };
}

export function geminiEmbeddingExchange() {
  return {
    request: {
      method: 'POST',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
      headers: { 'x-goog-api-key': UNREGISTERED_AIZA },
      body: { requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] } }] },
    },
    response: {
      status: 200,
      durationMs: 70,
      body: { embeddings: [{ values: vector(768) }, { values: vector(768) }] },
    },
  };
}

export const ALL_EXCHANGES = {
  openaiChat: openaiChatExchange,
  openaiResponses: openaiResponsesExchange,
  openaiEmbedding: openaiEmbeddingExchange,
  openaiImage: openaiImageExchange,
  geminiGenerate: geminiGenerateExchange,
  geminiEmbedding: geminiEmbeddingExchange,
};
