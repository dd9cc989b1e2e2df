import { loadConfig } from '../config/load-config.js';
import type { LLMMessage, LLMResponse, LLMStream, MessageInput } from '../spec/index.js';
import type { StructuredSchema, StructuredValue } from '../structured/structured-types.js';
import { createLLM, type LLM } from './llm.js';
import { LLMStreamImpl } from './llm-stream.js';
import type {
  ChatOptions,
  EmbedOptions,
  EmbedShortcutOptions,
  ImageOptions,
  StructuredCallOptions,
} from './options.js';

// The module-level API uses one default client, built on first use from `loadConfig()`
// (`$SWITCHBOARD_CONFIG`, else `./switchboard.yaml`). A failed load is not cached: fix the file and call again.
let defaultClient: Promise<LLM> | undefined;

/** The default client (created on first use from `loadConfig()`). */
export function getDefaultLLM(): Promise<LLM> {
  if (defaultClient == null) {
    const creating = loadConfig().then((config) => createLLM(config));
    defaultClient = creating;
    creating.catch(() => {
      if (defaultClient === creating) defaultClient = undefined;
    });
  }
  return defaultClient;
}

/** Replaces the default client (e.g. one built in code); the previous one is closed. */
export async function setDefaultLLM(client: LLM | undefined): Promise<void> {
  const previous = defaultClient;
  defaultClient = client == null ? undefined : Promise.resolve(client);
  if (previous != null) await (await previous.catch(() => undefined))?.close();
}

/** Closes the default client, if one was created. */
export async function closeDefaultLLM(): Promise<void> {
  await setDefaultLLM(undefined);
}

export async function chat(input: MessageInput, options?: ChatOptions): Promise<LLMResponse> {
  return (await getDefaultLLM()).chat(input, options);
}

export async function generate(messages: LLMMessage[], options?: ChatOptions): Promise<LLMResponse> {
  return (await getDefaultLLM()).generate(messages, options);
}

/** Streams with the default client; loading the config happens as part of the stream. */
export function stream(input: MessageInput | LLMMessage[], options?: ChatOptions): LLMStream {
  let inner: LLMStream | undefined;
  let abortReason: unknown;
  let aborted = false;
  async function* events() {
    inner = (await getDefaultLLM()).stream(input, options);
    if (aborted) inner.abort(abortReason);
    yield* inner;
    // The inner stream's response settles the outer one through its finish/error events.
  }
  return new LLMStreamImpl(events(), 'en', (reason) => {
    aborted = true;
    abortReason = reason;
    inner?.abort(reason);
  });
}

export async function generateStructured<S extends StructuredSchema>(
  input: MessageInput | LLMMessage[],
  schema: S,
  options?: StructuredCallOptions<StructuredValue<S>>,
): Promise<StructuredValue<S>> {
  return (await getDefaultLLM()).generateStructured(input, schema, options);
}

export async function embed(texts: string | string[], options?: EmbedOptions): Promise<number[][]> {
  return (await getDefaultLLM()).embed(texts, options);
}

export async function embedQuery(text: string, options?: EmbedShortcutOptions): Promise<number[]> {
  return (await getDefaultLLM()).embedQuery(text, options);
}

export async function embedDocuments(texts: string[], options?: EmbedShortcutOptions): Promise<number[][]> {
  return (await getDefaultLLM()).embedDocuments(texts, options);
}

export async function createImage(prompt: string, options?: ImageOptions): Promise<LLMResponse> {
  return (await getDefaultLLM()).createImage(prompt, options);
}

export async function code(prompt: string, options?: ChatOptions): Promise<LLMResponse> {
  return (await getDefaultLLM()).code(prompt, options);
}

export async function search(query: string, options?: ChatOptions): Promise<LLMResponse> {
  return (await getDefaultLLM()).search(query, options);
}
