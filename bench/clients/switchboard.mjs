// switchboard: createLLM with the whole pipeline on: logging middleware (logger off), retry, key
// selection over 2 keys, timeout, undici transport. Imports the BUILT library (dist/ or --dist DIR).
// Variant `float`: embeddings with `encodingFormat: 'float'` (the default asks for base64).
// Variant `route`: `chat` calls the fallback route `bench-route` (OpenAI first, which answers; Gemini second).
// Variants `otel` / `otel-off` (telemetry overhead, API.md §16): `otel` registers an OpenTelemetry tracer
// provider (BasicTracerProvider + BatchSpanProcessor, as NodeSDK sets up) whose exporter drops the spans, so
// every call builds and ends its spans; `otel-off` sets `telemetry: false`. The plain client has the API
// installed but no provider registered (the common "no OpenTelemetry" case).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  ANTHROPIC_MODEL,
  EMBED_TEXTS,
  GEMINI_MODEL,
  OPENAI_CHAT_MODEL,
  OPENAI_EMBED_MODEL,
} from '../payloads.mjs';

/** Registers a tracer provider whose exporter drops every span (the cost of making spans, not of sending them). */
async function registerDroppingTracer() {
  const { trace } = await import('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const exporter = {
    export: (_spans, done) => done({ code: 0 }),
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
}

export async function create({ base, variant, dist, op }) {
  const { createLLM } = await import(pathToFileURL(`${dist}/index.js`).href);
  if (variant === 'otel') await registerDroppingTracer();
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
    ...(variant === 'otel-off' ? { telemetry: false } : {}),
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
