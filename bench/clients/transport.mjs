// switchboard-transport (diagnostic, not in the default set): switchboard's HTTP transport alone
// (dist/http/transport.js, an internal module) driven like the raw client: no pipeline, no dialect, no
// client. Separates what the undici layer costs from what the rest of switchboard costs.
// Variant `timer`: also arms the timeout layer's per-attempt abort trigger and timer.
import { pathToFileURL } from 'node:url';
import { EMBED_TEXTS, GEMINI_MODEL, OPENAI_CHAT_MODEL, OPENAI_EMBED_MODEL } from '../payloads.mjs';

export async function create({ base, variant, dist }) {
  const { createTransport } = await import(pathToFileURL(`${dist}/http/transport.js`).href);
  const { ATTEMPT_ABORT, AttemptAbort } = await import(pathToFileURL(`${dist}/http/call-signal.js`).href);
  const transport = createTransport({
    config: { providers: [{ name: 'OpenAI', timeoutMs: 180_000 }], timeoutMs: 180_000 },
  });
  const openaiHeaders = { 'content-type': 'application/json', authorization: 'Bearer test-key-1' };
  const geminiHeaders = { 'content-type': 'application/json', 'x-goog-api-key': 'test-key-1' };

  async function send(url, headers, body, stream) {
    const request = {
      operation: stream ? 'stream' : 'chat',
      provider: 'OpenAI',
      model: `OpenAI/${OPENAI_CHAT_MODEL}`,
      modelId: OPENAI_CHAT_MODEL,
      apiType: 'openai',
      method: 'POST',
      url,
      headers,
      body,
      stream,
      auth: { scheme: 'bearer' },
      deadline: Date.now() + 180_000,
      attempt: 1,
      context: {},
    };
    let timer;
    if (variant === 'timer') {
      const abort = new AttemptAbort();
      request[ATTEMPT_ABORT] = abort;
      timer = setTimeout(() => abort.abort(new Error('deadline')), 180_000);
    }
    try {
      return await transport.send(request);
    } finally {
      if (timer !== undefined && !stream) clearTimeout(timer);
    }
  }

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

  return {
    version: `switchboard transport (${dist})`,
    async chat(prompt) {
      const { data } = await send(
        `${base}/v1/chat/completions`,
        openaiHeaders,
        { model: OPENAI_CHAT_MODEL, messages: [{ role: 'user', content: prompt }] },
        false,
      );
      return { text: data.choices[0].message.content };
    },
    async stream(prompt) {
      const { body } = await send(
        `${base}/v1/chat/completions`,
        openaiHeaders,
        {
          model: OPENAI_CHAT_MODEL,
          messages: [{ role: 'user', content: prompt }],
          stream: true,
          stream_options: { include_usage: true },
        },
        true,
      );
      const pieces = [];
      let firstAt = 0;
      let outputTokens;
      await readSse(body, (data) => {
        if (data === '[DONE]') return;
        const chunk = JSON.parse(data);
        const content = chunk.choices[0]?.delta?.content;
        if (typeof content === 'string' && content !== '') {
          if (pieces.length === 0) firstAt = performance.now();
          pieces.push(content);
        }
        if (chunk.usage != null) outputTokens = chunk.usage.completion_tokens;
      });
      return { text: pieces.join(''), deltas: pieces.length, firstAt, outputTokens };
    },
    async embed() {
      const { data } = await send(
        `${base}/v1/embeddings`,
        openaiHeaders,
        { model: OPENAI_EMBED_MODEL, input: EMBED_TEXTS },
        false,
      );
      const vectors = new Array(data.data.length);
      for (const item of data.data) vectors[item.index] = item.embedding;
      return vectors;
    },
    async geminiChat(prompt) {
      const { data } = await send(
        `${base}/v1beta/models/${GEMINI_MODEL}:generateContent`,
        geminiHeaders,
        { contents: [{ role: 'user', parts: [{ text: prompt }] }] },
        false,
      );
      return { text: data.candidates[0].content.parts.map((part) => part.text ?? '').join('') };
    },
    close: () => transport.close(),
  };
}
