import type {
  ChatOptions,
  ConfigBuilderLike,
  EmbedOptions,
  StructuredCallOptions,
} from '../client/options.js';
import type {
  LLMGenerationConfig,
  LLMMessage,
  LLMResponse,
  LLMStream,
  MemoryPolicy,
  MemoryProcessor,
  MemoryStore,
} from '../spec/index.js';
import type { StructuredSchema, StructuredValue } from '../structured/structured-types.js';

/**
 * Options the session hands to its backend for `chat`/`stream`: the caller's chat options merged over the
 * session's, with `config` already built and merged, and `runContext.sessionId` set. There is no
 * `instruction`: the rendered instruction is the first message (`role: 'system'`) of `messages`.
 */
export type SessionChatCallOptions = Omit<ChatOptions, 'instruction' | 'config'> & {
  config?: LLMGenerationConfig;
};

/** Options the session hands to its backend for `generateStructured` (no `instruction`, see above). */
export type SessionStructuredCallOptions<T> = Omit<StructuredCallOptions<T>, 'instruction' | 'config'> & {
  config?: LLMGenerationConfig;
};

/** What `SessionBackend.generate` returns. */
export interface SessionTurnResult {
  response: LLMResponse;
  /**
   * Every message the call added after the input, in order: for each automatic tool round the assistant
   * tool-call turn and its tool results, then the final assistant turn (`response.message`). Absent or empty
   * → `[response.message]`. Messages keep their `model` and thought signatures.
   */
  transcript?: LLMMessage[];
}

/**
 * How a session (`AI`) reaches the models. The client implements it once and builds sessions with
 * `new AI(backend, options)`. The session owns history, instructions and memory; the backend sends exactly
 * the messages it gets (a leading `system` message included) and never touches memory.
 */
export interface SessionBackend {
  /** `llm.generate(messages, options)` with the automatic tool loop, returning the loop's transcript too. */
  generate(messages: LLMMessage[], options: SessionChatCallOptions): Promise<SessionTurnResult>;
  /**
   * `llm.stream(messages, options)`. Call `onTranscript` with the transcript (as in `SessionTurnResult`)
   * before the `finish` event; a stream that never calls it stores `[response.message]`.
   */
  stream(
    messages: LLMMessage[],
    options: SessionChatCallOptions,
    onTranscript: (transcript: LLMMessage[]) => void,
  ): LLMStream;
  /** `llm.generateStructured` over a full message list; `response` is the answer that gave `value`. */
  generateStructured<S extends StructuredSchema>(
    messages: LLMMessage[],
    schema: S,
    options: SessionStructuredCallOptions<StructuredValue<S>>,
  ): Promise<{ value: StructuredValue<S>; response: LLMResponse }>;
  /**
   * `llm.embed(texts, options)` (for `ai.embed`; `options.model` is the session's `embeddingModel` unless the
   * call names one). Absent → `ai.embed` fails with `CONFIGURATION_ERROR`.
   */
  embed?(texts: string | string[], options: EmbedOptions): Promise<number[][]>;
  /**
   * The store of sessions created without `memory`. Return one store per client (e.g. a single
   * `createInMemoryStore()`), so sessions opened with the same `sessionId` continue one conversation.
   * Absent → each such session gets its own in-process store.
   */
  defaultMemory?(): MemoryStore;
  /** Where failing `afterReceive` processors are reported (the client's sanitised logger). */
  logger?: { warn(objOrMessage: unknown, message?: string): void };
}

/** Options of `llm.session()` / `new AI(backend, options)`. */
export interface SessionOptions {
  /** Identifies the conversation in the memory store. @default a random UUID */
  sessionId?: string;
  /**
   * `"Provider/model"`, route name or model list of every call (a call's `model` wins). History stores the
   * model that answered each turn, so reasoning artefacts replay only to their own provider. @default the
   * client's default model
   */
  model?: string | string[];
  /**
   * System instruction, sent first on every call and never stored. With `templateVars` (here or on the
   * call) it is rendered by `renderTemplate` (`{{name}}`, `{{user.name}}`) on each call.
   * @example 'You are the assistant of {{ user.name }}. Answer in {{ language }}.'
   */
  instruction?: string;
  /** Variables of the instruction template; a call's `templateVars` are merged over these. */
  templateVars?: Record<string, unknown>;
  /** Where history lives. @default the client's in-process store (`SessionBackend.defaultMemory`) */
  memory?: MemoryStore;
  /** What part of history is kept and sent. @default windowPolicy(50) */
  policy?: MemoryPolicy;
  /** Hooks around each turn, run in order. @default [] */
  processors?: MemoryProcessor[];
  /** Tools of every call (a call's `tools` replace them). */
  tools?: ChatOptions['tools'];
  toolChoice?: ChatOptions['toolChoice'];
  /** Generation settings of every call (a call's `config` is merged over them). */
  config?: LLMGenerationConfig | ConfigBuilderLike;
  maxToolRounds?: number;
  /** Context injected into tools (`sessionId` defaults to this session's id). */
  runContext?: ChatOptions['runContext'];
  toolHooks?: ChatOptions['toolHooks'];
  /** Whole-call deadline of every call (a call's `timeoutMs` wins). */
  timeoutMs?: number;
  /** `fetchRemoteMedia` of every chat, stream and structured call (a call's wins). @default the client's */
  fetchRemoteMedia?: ChatOptions['fetchRemoteMedia'];
  /**
   * Store media parts as they were sent. `false`: after each turn, stored media that carries its bytes
   * (image, audio, video or file parts with `data`) is replaced by a text placeholder naming type, MIME type
   * and size (`[image: image/png, 12.3 KB]`), so history never re-sends base64; media by URL is kept. A
   * call's `preserveMediaInHistory` wins. @default false (as in the seed)
   */
  preserveMediaInHistory?: boolean;
  /** `"Provider/model"` of `ai.embed` (a call's `model` wins). @default the client's default embedding model */
  embeddingModel?: string;
  /**
   * Most observations (`addObservation`) kept waiting for the next turn; past it the oldest are dropped.
   * @default 100
   */
  maxObservations?: number;
}

/** Options of `session.chat()`, `stream()`, `code()` and `search()`. */
export interface SessionChatOptions extends ChatOptions {
  /** Variables for the instruction template of this call (merged over the session's). */
  templateVars?: Record<string, unknown>;
  /** Store this turn's media as sent (see `SessionOptions.preserveMediaInHistory`). @default the session's */
  preserveMediaInHistory?: boolean;
}

/** Options of `session.generateStructured()`. */
export type SessionStructuredOptions<T> = StructuredCallOptions<T> & {
  /** Variables for the instruction template of this call (merged over the session's). */
  templateVars?: Record<string, unknown>;
  /** Store this turn's media as sent (see `SessionOptions.preserveMediaInHistory`). @default the session's */
  preserveMediaInHistory?: boolean;
};

/** Options of `session.addToHistory()`. */
export interface AddToHistoryOptions {
  /** Store the media of these messages as given (see `SessionOptions.preserveMediaInHistory`). @default the session's */
  preserveMediaInHistory?: boolean;
}
