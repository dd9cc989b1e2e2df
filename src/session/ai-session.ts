import { randomUUID } from 'node:crypto';
import { DEFAULT_SEARCH_INSTRUCTION } from '../client/chat-calls.js';
import type { EmbedOptions } from '../client/options.js';
import { LLMError } from '../errors/llm-error.js';
import { geminiCodeExecution, geminiGoogleSearch } from '../generation/native-tools.js';
import type {
  LLMMessage,
  LLMResponse,
  LLMStream,
  MemoryPolicy,
  MemoryProcessor,
  MemoryStore,
} from '../spec/index.js';
import type { StructuredSchema, StructuredValue } from '../structured/structured-types.js';
import { createInMemoryStore } from './in-memory-store.js';
import { withMediaPlaceholders } from './media-placeholders.js';
import { checkSessionId } from './memory-errors.js';
import { checkToolResults } from './pending-tool-calls.js';
import { chatCallOptions, sessionToolsOf, structuredCallOptions } from './session-call-options.js';
import { abortedStream, checkContinuable, checkSessionOptions, ownTurnOf } from './session-checks.js';
import { serialised } from './session-lock.js';
import { BufferedStream } from './session-stream.js';
import {
  addedMessages,
  instructionOf,
  newTurnOf,
  type SessionInput,
  structuredAnswerOf,
} from './session-turn.js';
import type {
  AddToHistoryOptions,
  SessionBackend,
  SessionChatOptions,
  SessionOptions,
  SessionStructuredOptions,
} from './session-types.js';
import { windowPolicy } from './window-policy.js';

/** One buffered observation (wrapped, so a turn removes exactly the entries it sent). */
interface Observation {
  message: LLMMessage;
}

/** One prepared turn: what is sent, and what the store held before it. */
interface PreparedTurn {
  /** System instruction + (history + new turn, after `beforeSend`). */
  messages: LLMMessage[];
  /** The history as loaded (before the policy). */
  stored: LLMMessage[];
  /** The new turn as given: observations, then the call's own input (stored whatever `beforeSend` sent). */
  turn: LLMMessage[];
  /** The observations the turn took from the buffer (removed from it once the turn is stored). */
  observed: Observation[];
}

/**
 * A conversation with memory (API.md §10), made by `llm.session(options)`. Each call:
 * 1. loads the history (serialised per store and session id: concurrent calls run one after the other);
 * 2. applies the policy, adds the new turn, runs each processor's `beforeSend`;
 * 3. sends the instruction (rendered per call, never stored) + history + turn;
 * 4. on success only, stores the new turn and everything the model added (tool rounds with their results,
 *    then the answer, with `model` and thought signatures), in one `append`; trims with the policy (`replace`
 *    when something was dropped); then each processor's `afterReceive` (failures are logged, not thrown).
 * A failed call stores nothing. `stream()` stores its turn when the stream finishes successfully; the stream
 * keeps reading on its own (the session's next call waits for it), so abort it rather than abandon it.
 * Processors must not call the same session (its turn is still in progress: that call would wait forever).
 * Serialisation is per process; several processes writing one session at the same time (Redis) can interleave.
 *
 * Observations (`addObservation`, e.g. the lines of a group chat the bot only reads) wait in a buffer of this
 * object and go with the next turn, before its own input, in order; they are stored with that turn. A failed
 * turn leaves them buffered for the next one (the seed dropped them). `chat()` without input continues from
 * the history: after tools were run by hand and their results added with `addToHistory`, the model answers
 * them. Unless `preserveMediaInHistory`, stored media that carries bytes becomes a text placeholder.
 *
 * @example
 * const ai = llm.session({ instruction: 'You are terse.', memory: createSqliteMemory('chat.db'), sessionId: 'u1' });
 * await ai.chat('My name is Ada.'); const { text } = await ai.chat('What is my name?');
 */
export class AI {
  readonly sessionId: string;
  readonly memory: MemoryStore;
  private readonly policy: MemoryPolicy;
  private readonly processors: MemoryProcessor[];
  private readonly maxObservations: number;
  private observations: Observation[] = [];

  constructor(
    private readonly backend: SessionBackend,
    private readonly options: SessionOptions = {},
  ) {
    this.sessionId = options.sessionId ?? randomUUID();
    checkSessionId(this.sessionId);
    this.memory = options.memory ?? backend.defaultMemory?.() ?? createInMemoryStore();
    this.policy = options.policy ?? windowPolicy(50);
    this.processors = options.processors ?? [];
    this.maxObservations = options.maxObservations ?? 100;
    checkSessionOptions(this.memory, this.policy, this.processors, this.maxObservations);
  }

  /**
   * Buffers context for the next turn without calling the model (the seed's `add_observation`): a string or
   * content parts (a user message), a message, or several messages. The next turn (`chat`, `stream`,
   * `generateStructured`, `code`, `search`) sends them after the history and before its own input, in
   * order, and stores them with it. Past `maxObservations` the oldest are dropped. Returns how many wait.
   * @throws LLMError `INVALID_PARAMETER` for a bad or system message.
   * @example ai.addObservation('Alice: anyone seen the keys?'); ai.addObservation('Bob: on the table'); await ai.chat()
   */
  addObservation(input: SessionInput): number {
    const messages = newTurnOf(input);
    for (const message of messages) this.observations.push({ message });
    const excess = this.observations.length - this.maxObservations;
    if (excess > 0) this.observations.splice(0, excess);
    return this.observations.length;
  }

  /** How many observations wait for the next turn. */
  get pendingObservations(): number {
    return this.observations.length;
  }

  /**
   * One turn; resolves to the model's response (the tool loop, if any, already ran). Without `input` the
   * conversation continues from the history (plus any observations): e.g. after tool calls returned to the
   * caller were run by hand and their results added with `addToHistory`, the model answers those results.
   * @throws LLMError `INVALID_PARAMETER` without input when there is nothing to continue (no history, no
   *   observations) or the history ends with tool calls that have no results yet.
   */
  async chat(input?: SessionInput | null, options: SessionChatOptions = {}): Promise<LLMResponse> {
    const own = ownTurnOf(input);
    return this.locked(async () => {
      const prepared = await this.prepare(own, options.instruction, options.templateVars);
      const { response, transcript } = await this.backend.generate(
        prepared.messages,
        chatCallOptions(this.options, this.sessionId, options),
      );
      await this.store(prepared, addedMessages(response, transcript), options.preserveMediaInHistory);
      return response;
    });
  }

  /**
   * One streamed turn (without `input`: continues, as `chat()`); the turn is stored before `finish` is
   * emitted (and before `response` resolves).
   */
  stream(input?: SessionInput | null, options: SessionChatOptions = {}): LLMStream {
    return new BufferedStream((sink) => {
      const own = ownTurnOf(input);
      return this.locked(async () => {
        if (sink.abortReason !== undefined) throw abortedStream(sink.abortReason.reason);
        const prepared = await this.prepare(own, options.instruction, options.templateVars);
        let transcript: LLMMessage[] | undefined;
        const inner = this.backend.stream(
          prepared.messages,
          chatCallOptions(this.options, this.sessionId, options),
          (added) => {
            transcript = added;
          },
        );
        sink.onAbort((reason) => inner.abort(reason));
        for await (const event of inner) {
          if (event.type === 'finish') {
            const added = addedMessages(event.response, transcript);
            await this.store(prepared, added, options.preserveMediaInHistory);
          }
          sink.push(event);
          if (event.type === 'finish' || event.type === 'error') return;
        }
      });
    });
  }

  /** A turn with the provider's code-execution tool attached (Gemini) to the call's (or session's) tools. */
  async code(prompt: SessionInput, options: SessionChatOptions = {}): Promise<LLMResponse> {
    return this.chat(prompt, {
      ...options,
      tools: [...sessionToolsOf(this.options, options), geminiCodeExecution()],
    });
  }

  /**
   * A turn with the provider's web-search grounding attached (Gemini Google Search); the instruction is the
   * call's, else the session's, else a default one asking to search, summarise and answer.
   */
  async search(query: SessionInput, options: SessionChatOptions = {}): Promise<LLMResponse> {
    return this.chat(query, {
      ...options,
      instruction: options.instruction ?? this.options.instruction ?? DEFAULT_SEARCH_INSTRUCTION,
      tools: [...sessionToolsOf(this.options, options), geminiGoogleSearch()],
    });
  }

  /**
   * Embeds texts with the session's `embeddingModel` (a call's `model` wins; default: the client's default
   * embedding model). History is neither read nor written.
   */
  async embed(texts: string | string[], options: EmbedOptions = {}): Promise<number[][]> {
    const embed = this.backend.embed;
    if (typeof embed !== 'function') {
      throw new LLMError('CONFIGURATION_ERROR', 'ai.embed: this session backend cannot embed (no embed())');
    }
    const call: EmbedOptions = { ...options };
    const model = options.model ?? this.options.embeddingModel;
    if (model !== undefined) call.model = model;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    if (timeoutMs !== undefined) call.timeoutMs = timeoutMs;
    try {
      return await embed.call(this.backend, texts, call);
    } catch (error) {
      throw LLMError.from(error, 'EMBEDDING_FAILED');
    }
  }

  /**
   * Appends messages to the history without calling the model (the seed's `add_user_message_to_history` /
   * `add_assistant_response_to_history`, and the way to store tool results run by hand): a string or
   * content parts (a user message), a message, or several. They are validated (no system message; a `tool`
   * message must answer an open call of the assistant turn before it), stored as a turn (media placeholders
   * unless `preserveMediaInHistory`), trimmed by the policy, and shown to each processor's `afterReceive`.
   * @throws LLMError `INVALID_PARAMETER` naming the bad message.
   * @example await ai.addToHistory({ role: 'tool', toolCallId: call.id, name: call.name, content: '{"tempC":21}' }); await ai.chat()
   */
  async addToHistory(messages: SessionInput, options: AddToHistoryOptions = {}): Promise<void> {
    const added = newTurnOf(messages, 'messages');
    await this.locked(async () => {
      const stored = await this.memory.load(this.sessionId);
      checkToolResults(stored, added);
      await this.persist(stored, added, options.preserveMediaInHistory);
    });
  }

  /**
   * A value of `schema` (API.md §8); the question and the answer are stored like a chat turn. A `null` /
   * `undefined` input continues from the history, as `chat()`.
   */
  async generateStructured<S extends StructuredSchema>(
    input: SessionInput | null | undefined,
    schema: S,
    options: SessionStructuredOptions<StructuredValue<S>> = {},
  ): Promise<StructuredValue<S>> {
    const own = ownTurnOf(input);
    const { instruction, templateVars, preserveMediaInHistory } = options;
    const callOptions = structuredCallOptions(this.options, options);
    return this.locked(async () => {
      const prepared = await this.prepare(own, instruction, templateVars);
      const { value, response } = await this.backend.generateStructured(
        prepared.messages,
        schema,
        callOptions,
      );
      await this.store(prepared, [structuredAnswerOf(response, value)], preserveMediaInHistory);
      return value;
    });
  }

  /** The stored history after the policy (a copy: changing it changes nothing). */
  async history(): Promise<LLMMessage[]> {
    return this.locked(async () => this.policy.trim(await this.memory.load(this.sessionId)));
  }

  /** Forgets this session's history and the observations waiting for the next turn. */
  async clear(): Promise<void> {
    await this.locked(async () => {
      this.observations = [];
      await this.memory.clear(this.sessionId);
    });
  }

  private async locked<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await serialised(this.memory, this.sessionId, task);
    } catch (error) {
      throw LLMError.from(error, 'GENERATION_FAILED');
    }
  }

  private async prepare(
    own: LLMMessage[],
    instruction: string | undefined,
    templateVars: Record<string, unknown> | undefined,
  ): Promise<PreparedTurn> {
    const system = instructionOf(
      instruction ?? this.options.instruction,
      this.options.templateVars,
      templateVars,
    );
    const observed = [...this.observations];
    const turn = [...observed.map((observation) => observation.message), ...own];
    const stored = await this.memory.load(this.sessionId);
    const history = this.policy.trim(stored);
    if (own.length === 0) checkContinuable(history, observed.length);
    let sent = [...history, ...turn];
    for (const [index, processor] of this.processors.entries()) {
      if (processor.beforeSend === undefined) continue;
      const rewritten = await processor.beforeSend(this.sessionId, sent);
      if (!Array.isArray(rewritten)) {
        throw new LLMError(
          'INVALID_PARAMETER',
          `processors[${index}].beforeSend must return an array of messages`,
          {
            details: { path: `processors[${index}].beforeSend` },
          },
        );
      }
      sent = rewritten;
    }
    return { messages: system === undefined ? sent : [system, ...sent], stored, turn, observed };
  }

  private async store(prepared: PreparedTurn, added: LLMMessage[], preserveMedia?: boolean): Promise<void> {
    await this.persist(prepared.stored, [...prepared.turn, ...added], preserveMedia, () => {
      const sent = new Set(prepared.observed);
      this.observations = this.observations.filter((observation) => !sent.has(observation));
    });
  }

  /** Appends a turn (media placeholders unless preserved), trims with the policy, runs `afterReceive`. */
  private async persist(
    stored: LLMMessage[],
    messages: LLMMessage[],
    preserveMedia: boolean | undefined,
    onAppended?: () => void,
  ): Promise<void> {
    const keep = preserveMedia ?? this.options.preserveMediaInHistory ?? false;
    const turn = keep ? messages : withMediaPlaceholders(messages);
    await this.memory.append(this.sessionId, turn);
    onAppended?.();
    const all = [...stored, ...turn];
    const kept = this.policy.trim(all);
    if (kept.length !== all.length || kept.some((message, index) => message !== all[index])) {
      // Re-read so that a turn another process appended meanwhile is trimmed, not overwritten.
      await this.memory.replace(this.sessionId, this.policy.trim(await this.memory.load(this.sessionId)));
    }
    for (const [index, processor] of this.processors.entries()) {
      try {
        await processor.afterReceive?.(this.sessionId, turn);
      } catch (error) {
        this.backend.logger?.warn(
          {
            sessionId: this.sessionId,
            processor: index,
            error: error instanceof Error ? error.message : String(error),
          },
          'session: a memory processor failed in afterReceive (the turn is stored; the call goes on)',
        );
      }
    }
  }
}
