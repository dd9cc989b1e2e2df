// raw: the floor. undici.request + JSON.parse + a hand-written SSE line splitter + the SDKs' retry
// policy (429/5xx: honour retry-after, else exponential backoff; 2 retries).
// Variant `b64`: embeddings asked as base64 and handed back as Float32Array views (no copies).
import { Agent, request } from 'undici';
import {
  ANTHROPIC_MODEL,
  EMBED_TEXTS,
  GEMINI_MODEL,
  OPENAI_CHAT_MODEL,
  OPENAI_EMBED_MODEL,
} from '../payloads.mjs';
import { versionOf } from './versions.mjs';

const MAX_RETRIES = 2;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function retryDelayMs(headers, retry) {
  const value = headers['retry-after'];
  if (typeof value === 'string') {
    const seconds = Number.parseFloat(value);
    if (!Number.isNaN(seconds) && seconds >= 0 && seconds < 60) return seconds * 1000;
  }
  return Math.min(8000, 500 * 2 ** retry) * Math.random();
}

export async function create({ base, variant }) {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const openaiHeaders = { 'content-type': 'application/json', authorization: 'Bearer test-key-1' };
  const geminiHeaders = { 'content-type': 'application/json', 'x-goog-api-key': 'test-key-1' };
  const chatUrl = `${base}/v1/chat/completions`;
  const embedUrl = `${base}/v1/embeddings`;
  const geminiUrl = `${base}/v1beta/models/${GEMINI_MODEL}:generateContent`;
  const geminiStreamUrl = `${base}/v1beta/models/${GEMINI_MODEL}:streamGenerateContent?alt=sse`;
  const anthropicHeaders = {
    'content-type': 'application/json',
    'x-api-key': 'test-key-1',
    'anthropic-version': '2023-06-01',
  };
  const anthropicUrl = `${base}/v1/messages`;

  /** POST with retries; returns the 2xx response (body unread) and the number of attempts. */
  async function post(url, headers, body) {
    for (let attempt = 0; ; attempt++) {
      const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
      if (res.statusCode >= 200 && res.statusCode < 300) return { res, attempts: attempt + 1 };
      const text = await res.body.text();
      const retryable = res.statusCode === 429 || res.statusCode >= 500;
      if (!retryable || attempt >= MAX_RETRIES)
        throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      const wait = retryDelayMs(res.headers, attempt);
      if (wait > 0) await sleep(wait);
    }
  }

  async function postJson(url, headers, payload) {
    const { res, attempts } = await post(url, headers, JSON.stringify(payload));
    return { data: JSON.parse(await res.body.text()), attempts };
  }

  /** Reads an SSE body, calling `onData` with each `data:` payload (LF or CRLF lines). */
  async function readSse(body, onData) {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let start = 0;
      let end = buffer.indexOf('\n', start);
      while (end !== -1) {
        const lineEnd = end > start && buffer.charCodeAt(end - 1) === 13 ? end - 1 : end;
        if (buffer.startsWith('data: ', start)) onData(buffer.slice(start + 6, lineEnd));
        start = end + 1;
        end = buffer.indexOf('\n', start);
      }
      buffer = buffer.slice(start);
    }
  }

  const chatPayload = (prompt, stream) => {
    const payload = { model: OPENAI_CHAT_MODEL, messages: [{ role: 'user', content: prompt }] };
    if (stream) {
      payload.stream = true;
      payload.stream_options = { include_usage: true };
    }
    return payload;
  };
  const geminiPayload = (prompt) => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }] });
  const anthropicPayload = (prompt, stream) => {
    const payload = {
      model: ANTHROPIC_MODEL,
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    };
    if (stream) payload.stream = true;
    return payload;
  };

  return {
    version: `undici ${versionOf('undici')}`,
    async chat(prompt) {
      const { data, attempts } = await postJson(chatUrl, openaiHeaders, chatPayload(prompt, false));
      return { text: data.choices[0].message.content, attempts };
    },
    async stream(prompt) {
      const { res } = await post(chatUrl, openaiHeaders, JSON.stringify(chatPayload(prompt, true)));
      const pieces = [];
      let firstAt = 0;
      let outputTokens;
      let done = false;
      await readSse(res.body, (data) => {
        if (data === '[DONE]') {
          done = true;
          return;
        }
        const chunk = JSON.parse(data);
        const content = chunk.choices[0]?.delta?.content;
        if (typeof content === 'string' && content !== '') {
          if (pieces.length === 0) firstAt = performance.now();
          pieces.push(content);
        }
        if (chunk.usage != null) outputTokens = chunk.usage.completion_tokens;
      });
      if (!done) throw new Error('stream ended without [DONE]');
      return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens };
    },
    async embed() {
      const payload = { model: OPENAI_EMBED_MODEL, input: EMBED_TEXTS };
      if (variant === 'b64') payload.encoding_format = 'base64';
      const { data } = await postJson(embedUrl, openaiHeaders, payload);
      const vectors = new Array(data.data.length);
      for (const item of data.data) {
        let vector = item.embedding;
        if (typeof vector === 'string') {
          const bytes = Buffer.from(vector, 'base64');
          const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
          vector = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
        }
        vectors[item.index] = vector;
      }
      return vectors;
    },
    async geminiChat(prompt) {
      const { data } = await postJson(geminiUrl, geminiHeaders, geminiPayload(prompt));
      return { text: data.candidates[0].content.parts.map((part) => part.text ?? '').join('') };
    },
    async geminiStream(prompt) {
      const { res } = await post(geminiStreamUrl, geminiHeaders, JSON.stringify(geminiPayload(prompt)));
      const pieces = [];
      let firstAt = 0;
      let outputTokens;
      let finished = false;
      await readSse(res.body, (data) => {
        const chunk = JSON.parse(data);
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (typeof part.text === 'string' && part.text !== '') {
            if (pieces.length === 0) firstAt = performance.now();
            pieces.push(part.text);
          }
        }
        if (candidate?.finishReason != null) finished = true;
        if (chunk.usageMetadata?.candidatesTokenCount != null)
          outputTokens = chunk.usageMetadata.candidatesTokenCount;
      });
      if (!finished) throw new Error('stream ended without a finish reason');
      return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens };
    },
    async anthropicChat(prompt) {
      const { data, attempts } = await postJson(
        anthropicUrl,
        anthropicHeaders,
        anthropicPayload(prompt, false),
      );
      const text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return { text, attempts };
    },
    async anthropicStream(prompt) {
      const { res } = await post(
        anthropicUrl,
        anthropicHeaders,
        JSON.stringify(anthropicPayload(prompt, true)),
      );
      const pieces = [];
      let firstAt = 0;
      let outputTokens;
      let stopped = false;
      await readSse(res.body, (data) => {
        const event = JSON.parse(data);
        if (
          event.type === 'content_block_delta' &&
          event.delta.type === 'text_delta' &&
          event.delta.text !== ''
        ) {
          if (pieces.length === 0) firstAt = performance.now();
          pieces.push(event.delta.text);
        } else if (event.type === 'message_delta') outputTokens = event.usage?.output_tokens;
        else if (event.type === 'message_stop') stopped = true;
        else if (event.type === 'error') throw new Error(event.error?.message);
      });
      if (!stopped) throw new Error('stream ended without message_stop');
      return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens };
    },
    close: () => agent.close(),
  };
}
