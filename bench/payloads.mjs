// Precomputed provider answers of the benchmark and what a correct client must get out of them.
// Shared by the fake server (bench/server.mjs) and the client checks (bench/client.mjs), so the
// expected values are the ones served.

export const OPENAI_CHAT_MODEL = 'gpt-4o-mini';
export const OPENAI_EMBED_MODEL = 'text-embedding-3-small';
export const GEMINI_MODEL = 'gemini-2.5-flash';
export const ANTHROPIC_MODEL = 'claude-haiku-4-5';

/** Chunks of text per streamed answer (every dialect). */
export const STREAM_CHUNKS = 500;
export const EMBED_INPUTS = 16;
export const EMBED_DIMS = 1536;
/** Marker the retry scenario puts in its prompt: `bench-retry:<run id>:<n>`. */
export const RETRY_MARKER = 'bench-retry:';

export const CHAT_TEXT =
  'Galaxy Day is a made-up holiday on October 31st. Communities gather in parks and on rooftops ' +
  'with telescopes, share stories about the constellations, and dress up as planets, comets and ' +
  'astronauts. Schools run planetarium shows, museums open late, and families light a lantern at ' +
  'dusk for the stars they cannot see. It ends with a shared minute of looking up, wherever you are.';

const WORDS = [
  'The',
  ' quick',
  ' brown',
  ' fox',
  ' jumps',
  ' over',
  ' the',
  ' lazy',
  ' dog',
  ',',
  ' and',
  ' then',
  ' it',
  ' naps',
  ' in',
  ' the',
  ' sun',
  '.',
  '\n',
  ' Élan',
  ' 🚀',
];

/** The streamed deltas (same for OpenAI, Gemini and Anthropic streams): 500 non-empty pieces. */
export const STREAM_DELTAS = Array.from({ length: STREAM_CHUNKS }, (_, i) => WORDS[i % WORDS.length]);
export const STREAM_TEXT = STREAM_DELTAS.join('');

// ---------------------------------------------------------------------------------------------
// Embeddings: bf16-like float32 values (like real text-embedding-3 answers), identical in both wire
// formats, so a client gets the same numbers from float JSON and from base64.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeVectors() {
  const random = mulberry32(1536);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const vectors = [];
  for (let v = 0; v < EMBED_INPUTS; v++) {
    const vector = new Float32Array(EMBED_DIMS);
    for (let i = 0; i < EMBED_DIMS; i++) {
      // Roughly normal, scale 0.03, then truncated to 8 mantissa bits (bf16), as real answers look.
      const normal = (random() + random() + random() + random() - 2) * 0.05;
      f32[0] = normal;
      u32[0] = u32[0] & 0xffff0000;
      vector[i] = f32[0];
    }
    vectors.push(vector);
  }
  return vectors;
}

export const EMBED_VECTORS = makeVectors();
/** Positions whose values the checks compare exactly (cheap, but catch shifted or garbled vectors). */
export const EMBED_PROBES = [0, 1, 767, 1024, 1535];
export const EMBED_TEXTS = Array.from({ length: EMBED_INPUTS }, (_, i) => `bench input number ${i}`);

// ---------------------------------------------------------------------------------------------
// Wire bodies (built once by the server).

const CREATED = 1770933892;

export function openaiChatBody(text = CHAT_TEXT) {
  const body = {
    id: 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
    object: 'chat.completion',
    created: CREATED,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 16,
      completion_tokens: 72,
      total_tokens: 88,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_de604bd877',
  };
  // OpenAI answers non-streamed requests pretty-printed.
  return JSON.stringify(body, null, 2);
}

export function openaiRateLimitBody() {
  return JSON.stringify(
    {
      error: {
        message:
          'Rate limit reached for gpt-4o-mini in organization org-bench on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    },
    null,
    4,
  );
}

function openaiChunk(delta, finish, usage) {
  return JSON.stringify({
    id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_de604bd877',
    choices: delta == null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage,
    obfuscation: 'yhjoJbEF',
  });
}

/** `text/event-stream` body: role chunk, 500 content chunks, finish chunk, usage chunk, [DONE]. */
export function openaiStreamBody() {
  const events = [openaiChunk({ role: 'assistant', content: '', refusal: null }, null, null)];
  for (const piece of STREAM_DELTAS) events.push(openaiChunk({ content: piece }, null, null));
  events.push(openaiChunk({}, 'stop', null));
  events.push(
    openaiChunk(null, null, {
      prompt_tokens: 16,
      completion_tokens: STREAM_CHUNKS,
      total_tokens: STREAM_CHUNKS + 16,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    }),
  );
  events.push('[DONE]');
  return events.map((data) => `data: ${data}\n\n`).join('');
}

export function openaiEmbeddingsBody(format) {
  const data = EMBED_VECTORS.map((vector, index) => ({
    object: 'embedding',
    index,
    embedding:
      format === 'base64'
        ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64')
        : Array.from(vector),
  }));
  return JSON.stringify({
    object: 'list',
    data,
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 64, total_tokens: 64 },
  });
}

const GEMINI_USAGE_PROMPT = {
  promptTokenCount: 15,
  totalTokenCount: 15,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 15 }],
};

export function geminiChatBody(text = CHAT_TEXT) {
  return JSON.stringify(
    {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 15,
        candidatesTokenCount: 72,
        totalTokenCount: 87,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 15 }],
        thoughtsTokenCount: 0,
      },
      modelVersion: GEMINI_MODEL,
      responseId: 'w1peaMz6INOvnvgPgYfPiQY',
    },
    null,
    2,
  );
}

/** `streamGenerateContent?alt=sse` body: 500 chunks, CRLF framing, the last with `finishReason`. */
export function geminiStreamBody() {
  const events = STREAM_DELTAS.map((piece, i) => {
    const last = i === STREAM_DELTAS.length - 1;
    const candidate = { content: { parts: [{ text: piece }], role: 'model' } };
    if (last) candidate.finishReason = 'STOP';
    const usage = last
      ? {
          promptTokenCount: 15,
          candidatesTokenCount: STREAM_CHUNKS,
          totalTokenCount: STREAM_CHUNKS + 15,
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: 15 }],
          candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: STREAM_CHUNKS }],
        }
      : GEMINI_USAGE_PROMPT;
    return JSON.stringify({
      candidates: [candidate],
      usageMetadata: usage,
      modelVersion: GEMINI_MODEL,
      responseId: 'w1peaMz6INOvnvgPgYfPiQY',
    });
  });
  return events.map((data) => `data: ${data}\r\n\r\n`).join('');
}

// ---------------------------------------------------------------------------------------------
// Anthropic Messages API (shapes of fixtures/providers/anthropic/messages-text and -stream-text).

const ANTHROPIC_USAGE = {
  input_tokens: 16,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  service_tier: 'standard',
  inference_geo: 'not_available',
};

export function anthropicChatBody(text = CHAT_TEXT) {
  // The API answers compact JSON.
  return JSON.stringify({
    model: 'claude-haiku-4-5-20251001',
    id: 'msg_011CeCGmD8uwD58unxgBN8Qx',
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    usage: { ...ANTHROPIC_USAGE, output_tokens: 72 },
  });
}

/**
 * `text/event-stream` body: message_start, content_block_start, ping, 500 text_delta events,
 * content_block_stop, message_delta (stop reason, usage), message_stop; `event: <type>` + `data:`, LF framing.
 */
export function anthropicStreamBody() {
  const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const parts = [
    event('message_start', {
      message: {
        model: 'claude-haiku-4-5-20251001',
        id: 'msg_011CeCGmCzjcUtmtEmMdEiM2',
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: { ...ANTHROPIC_USAGE, output_tokens: 1 },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping', {}),
  ];
  for (const text of STREAM_DELTAS) {
    parts.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }));
  }
  parts.push(event('content_block_stop', { index: 0 }));
  parts.push(
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null },
      usage: {
        input_tokens: 16,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: STREAM_CHUNKS,
      },
    }),
  );
  parts.push(event('message_stop', {}));
  return parts.join('');
}
