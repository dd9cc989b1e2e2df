import { randomUUID } from 'node:crypto';
import { LLMError } from '../errors/llm-error.js';
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
import { checkSessionId } from './memory-errors.js';
import { serialised } from './session-lock.js';
import { BufferedStream } from './session-stream.js';
import {
  addedMessages,
  instructionOf,
  mergedConfig,
  newTurnOf,
  type SessionInput,
  structuredAnswerOf,
} from './session-turn.js';
import type {
  SessionBackend,
  SessionChatCallOptions,
  SessionChatOptions,
  SessionOptions,
  SessionStructuredCallOptions,
  SessionStructuredOptions,
} from './session-types.js';
import { windowPolicy } from './window-policy.js';

/** One prepared turn: what is sent, and what the store held before it. */
interface PreparedTurn {
  /** System instruction + (history + new turn, after `beforeSend`). */
  messages: LLMMessage[];
  /** The history as loaded (before the policy). */
  stored: LLMMessage[];
  /** The new turn as given (stored as is, whatever `beforeSend` sent). */
  turn: LLMMessage[];
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
 * @example
 * const ai = llm.session({ instruction: 'You are terse.', memory: createSqliteMemory('chat.db'), sessionId: 'u1' });
 * await ai.chat('My name is Ada.'); const { text } = await ai.chat('What is my name?');
 */
export class AI {
  readonly sessionId: string;
  readonly memory: MemoryStore;
  private readonly policy: MemoryPolicy;
  private readonly processors: MemoryProcessor[];

  constructor(
    private readonly backend: SessionBackend,
    private readonly options: SessionOptions = {},
  ) {
    this.sessionId = options.sessionId ?? randomUUID();
    checkSessionId(this.sessionId);
    this.memory = options.memory ?? backend.defaultMemory?.() ?? createInMemoryStore();
    this.policy = options.policy ?? windowPolicy(50);
    this.processors = options.processors ?? [];
    checkOptions(this.memory, this.policy, this.processors);
  }

  /** One turn; resolves to the model's response (the tool loop, if any, already ran). */
  async chat(input: SessionInput, options: SessionChatOptions = {}): Promise<LLMResponse> {
    const turn = newTurnOf(input);
    return this.locked(async () => {
      const prepared = await this.prepare(turn, options.instruction, options.templateVars);
      const { response, transcript } = await this.backend.generate(
        prepared.messages,
        this.chatOptions(options),
      );
      await this.store(prepared, addedMessages(response, transcript));
      return response;
    });
  }

  /** One streamed turn; the turn is stored before `finish` is emitted (and before `response` resolves). */
  stream(input: SessionInput, options: SessionChatOptions = {}): LLMStream {
    return new BufferedStream((sink) => {
      const turn = newTurnOf(input);
      return this.locked(async () => {
        if (sink.abortReason !== undefined) throw aborted(sink.abortReason.reason);
        const prepared = await this.prepare(turn, options.instruction, options.templateVars);
        let transcript: LLMMessage[] | undefined;
        const inner = this.backend.stream(prepared.messages, this.chatOptions(options), (added) => {
          transcript = added;
        });
        sink.onAbort((reason) => inner.abort(reason));
        for await (const event of inner) {
          if (event.type === 'finish') await this.store(prepared, addedMessages(event.response, transcript));
          sink.push(event);
          if (event.type === 'finish' || event.type === 'error') return;
        }
      });
    });
  }

  /** A value of `schema` (API.md §8); the question and the answer are stored like a chat turn. */
  async generateStructured<S extends StructuredSchema>(
    input: SessionInput,
    schema: S,
    options: SessionStructuredOptions<StructuredValue<S>> = {},
  ): Promise<StructuredValue<S>> {
    const turn = newTurnOf(input);
    const { instruction, templateVars, config, model, timeoutMs, ...rest } = options;
    const callOptions: SessionStructuredCallOptions<StructuredValue<S>> = { ...rest };
    const merged = mergedConfig(this.options.config, config);
    if (merged !== undefined) callOptions.config = merged;
    const chosenModel = model ?? this.options.model;
    if (chosenModel !== undefined) callOptions.model = chosenModel;
    const deadline = timeoutMs ?? this.options.timeoutMs;
    if (deadline !== undefined) callOptions.timeoutMs = deadline;
    return this.locked(async () => {
      const prepared = await this.prepare(turn, instruction, templateVars);
      const { value, response } = await this.backend.generateStructured(
        prepared.messages,
        schema,
        callOptions,
      );
      await this.store(prepared, [structuredAnswerOf(response, value)]);
      return value;
    });
  }

  /** The stored history after the policy (a copy: changing it changes nothing). */
  async history(): Promise<LLMMessage[]> {
    return this.locked(async () => this.policy.trim(await this.memory.load(this.sessionId)));
  }

  /** Forgets this session's history. */
  async clear(): Promise<void> {
    await this.locked(() => this.memory.clear(this.sessionId));
  }

  private async locked<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await serialised(this.memory, this.sessionId, task);
    } catch (error) {
      throw LLMError.from(error, 'GENERATION_FAILED');
    }
  }

  private async prepare(
    turn: LLMMessage[],
    instruction: string | undefined,
    templateVars: Record<string, unknown> | undefined,
  ): Promise<PreparedTurn> {
    const system = instructionOf(
      instruction ?? this.options.instruction,
      this.options.templateVars,
      templateVars,
    );
    const stored = await this.memory.load(this.sessionId);
    let sent = [...this.policy.trim(stored), ...turn];
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
    return { messages: system === undefined ? sent : [system, ...sent], stored, turn };
  }

  private async store(prepared: PreparedTurn, added: LLMMessage[]): Promise<void> {
    const turn = [...prepared.turn, ...added];
    await this.memory.append(this.sessionId, turn);
    const all = [...prepared.stored, ...turn];
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

  private chatOptions(options: SessionChatOptions): SessionChatCallOptions {
    const { instruction: _instruction, templateVars: _vars, config, runContext, ...call } = options;
    const session = this.options;
    const merged: SessionChatCallOptions = { ...call };
    const inherit = <
      K extends 'model' | 'tools' | 'toolChoice' | 'maxToolRounds' | 'toolHooks' | 'timeoutMs',
    >(
      key: K,
    ) => {
      if (merged[key] === undefined && session[key] !== undefined)
        merged[key] = session[key] as SessionChatCallOptions[K];
    };
    inherit('model');
    inherit('tools');
    inherit('toolChoice');
    inherit('maxToolRounds');
    inherit('toolHooks');
    inherit('timeoutMs');
    const config2 = mergedConfig(session.config, config);
    if (config2 !== undefined) merged.config = config2;
    merged.runContext = { sessionId: this.sessionId, ...session.runContext, ...runContext };
    return merged;
  }
}

function checkOptions(memory: MemoryStore, policy: MemoryPolicy, processors: MemoryProcessor[]): void {
  const bad = (path: string, message: string) =>
    new LLMError('INVALID_PARAMETER', `session ${path}: ${message}`, { details: { path } });
  for (const method of ['load', 'append', 'replace', 'clear'] as const) {
    if (typeof memory?.[method] !== 'function') throw bad('memory', `must be a MemoryStore (no ${method}())`);
  }
  if (typeof policy?.trim !== 'function') throw bad('policy', 'must be a MemoryPolicy with trim()');
  if (!Array.isArray(processors)) throw bad('processors', 'must be an array of MemoryProcessor');
}

function aborted(reason: unknown): LLMError {
  if (LLMError.isInstance(reason)) return reason;
  return new LLMError('ABORTED', 'The stream was aborted.', reason === undefined ? {} : { cause: reason });
}
