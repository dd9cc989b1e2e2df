// switchboard: createLLM with the whole pipeline on: logging middleware (logger off), retry, key
// selection over 2 keys, timeout, undici transport. Imports the BUILT library (dist/ or --dist DIR).
// Variant `float`: embeddings with `encodingFormat: 'float'` (the default asks for base64).
// Variant `route`: `chat` calls the fallback route `bench-route` (OpenAI first, which answers; Gemini second).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  ANTHROPIC_MODEL,
  EMBED_TEXTS,
  GEMINI_MODEL,
  OPENAI_CHAT_MODEL,
  OPENAI_EMBED_MODEL,
} from '../payloads.mjs';

export async function create({ base, variant, dist, op }) {
  const { createLLM } = await import(pathToFileURL(`${dist}/index.js`).href);
  // The Anthropic provider only on its scenarios, so `--compare` still runs builds without apiType 'anthropic'.
  const anthropic = op?.startsWith('anthropic')
    ? [
        {
          name: 'Anthropic',
          apiType: 'anthropic',
          apiBase: base,
          apiKeys: ['test-key-1', 'test-key-2'],
          models: [ANTHROPIC_MODEL],
        },
      ]
    : [];
  const llm = createLLM({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: `${base}/v1`,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: [OPENAI_CHAT_MODEL, { name: OPENAI_EMBED_MODEL, embedding: true }],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: base,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: [GEMINI_MODEL],
      },
      ...anthropic,
    ],
    defaultModel: `OpenAI/${OPENAI_CHAT_MODEL}`,
    logger: false,
    // Only for the route variant, so `--compare` still runs builds without routes.
    ...(variant === 'route'
      ? {
          routes: [
            { name: 'bench-route', targets: [`OpenAI/${OPENAI_CHAT_MODEL}`, `Gemini/${GEMINI_MODEL}`] },
          ],
        }
      : {}),
  });
  const chatOptions = variant === 'route' ? { model: 'bench-route' } : undefined;
  const geminiOptions = { model: `Gemini/${GEMINI_MODEL}` };
  const anthropicOptions = { model: `Anthropic/${ANTHROPIC_MODEL}` };
  const embedOptions = { model: `OpenAI/${OPENAI_EMBED_MODEL}` };
  if (variant === 'float') embedOptions.config = { encodingFormat: 'float' };

  async function streamOf(prompt, options) {
    const stream = llm.stream(prompt, options);
    const pieces = [];
    let firstAt = 0;
    for await (const piece of stream.textStream) {
      if (piece === '') continue;
      if (pieces.length === 0) firstAt = performance.now();
      pieces.push(piece);
    }
    const response = await stream.response;
    if (response.text !== pieces.join('')) throw new Error('response.text differs from the streamed text');
    return {
      text: response.text,
      deltas: pieces.length,
      firstAt,
      outputTokens: response.usage?.completionTokens,
    };
  }

  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return {
    version: `switchboard-llm ${pkg.version} (${dist})`,
    async chat(prompt) {
      const response = await llm.chat(prompt, chatOptions);
      if (chatOptions !== undefined && response.model !== `OpenAI/${OPENAI_CHAT_MODEL}`) {
        throw new Error(`the route answered from ${response.model}`);
      }
      return { text: response.text, attempts: response.attempts.length };
    },
    stream: (prompt) => streamOf(prompt, undefined),
    embed: () => llm.embed(EMBED_TEXTS, embedOptions),
    async geminiChat(prompt) {
      const response = await llm.chat(prompt, geminiOptions);
      return { text: response.text, attempts: response.attempts.length };
    },
    geminiStream: (prompt) => streamOf(prompt, geminiOptions),
    async anthropicChat(prompt) {
      const response = await llm.chat(prompt, anthropicOptions);
      return { text: response.text, attempts: response.attempts.length };
    },
    anthropicStream: (prompt) => streamOf(prompt, anthropicOptions),
    close: () => llm.close(),
  };
}
