import type { LLMContentPart, LLMMessage, LLMResponse, LLMToolCall, MemoryStore } from '../../spec/index.js';
import type { StructuredSchema, StructuredValue } from '../../structured/structured-types.js';
import { createInMemoryStore } from '../in-memory-store.js';
import { BufferedStream } from '../session-stream.js';
import type { SessionBackend, SessionChatCallOptions, SessionTurnResult } from '../session-types.js';

/** A reply the fake gives: text (with an optional transcript of tool rounds), or a failure. */
export type FakeReply =
  | {
      text: string;
      model?: string;
      toolRounds?: { calls: LLMToolCall[]; results: string[] }[];
      signature?: string;
      /** Tool calls returned to the caller unexecuted (as with `maxToolRounds: 0`). */
      returnCalls?: LLMToolCall[];
      /** Extra parts of the answer (e.g. a generated image). */
      parts?: LLMContentPart[];
    }
  | { fail: Error }
  | { json: string; toolCall?: boolean };

export interface FakeCall {
  kind: 'generate' | 'stream' | 'structured' | 'embed';
  messages: LLMMessage[];
  options: Record<string, unknown>;
}

export function response(text: string, model = 'Gemini/gemini-2.5-flash', signature?: string): LLMResponse {
  const message: LLMMessage =
    signature === undefined
      ? { role: 'assistant', content: text, model }
      : { role: 'assistant', content: [{ type: 'text', text, thoughtSignature: signature }], model };
  return {
    text,
    contentParts: [{ type: 'text', text }],
    toolCalls: [],
    finishReason: 'stop',
    images: [],
    model,
    attempts: [],
    warnings: [],
    message,
  };
}

function turnOf(reply: Extract<FakeReply, { text: string }>): SessionTurnResult {
  const final = response(reply.text, reply.model, reply.signature);
  if (reply.parts != null) {
    final.contentParts = [{ type: 'text', text: reply.text }, ...reply.parts];
    final.message = { ...final.message, content: final.contentParts };
  }
  if (reply.returnCalls != null) {
    final.toolCalls = reply.returnCalls;
    final.finishReason = 'tool_calls';
    final.message = { ...final.message, toolCalls: reply.returnCalls };
  }
  const transcript: LLMMessage[] = [];
  for (const round of reply.toolRounds ?? []) {
    transcript.push({ role: 'assistant', content: '', toolCalls: round.calls, model: final.model });
    round.calls.forEach((call, index) => {
      transcript.push({
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: round.results[index] ?? '',
      });
    });
  }
  transcript.push(final.message);
  return { response: final, transcript };
}

/**
 * A `SessionBackend` that records what it is sent and answers from a script (default: "reply N").
 * `gate` (when set) is awaited before answering, for concurrency tests.
 */
export class FakeBackend implements SessionBackend {
  readonly calls: FakeCall[] = [];
  readonly script: FakeReply[] = [];
  readonly warnings: unknown[] = [];
  gate: (() => Promise<void>) | undefined;
  memory: MemoryStore | undefined;
  readonly logger = { warn: (obj: unknown) => void this.warnings.push(obj) };

  private next(): FakeReply {
    return this.script.shift() ?? { text: `reply ${this.calls.length}` };
  }

  /** One store per fake, like a client's. */
  defaultMemory(): MemoryStore {
    this.memory ??= createInMemoryStore();
    return this.memory;
  }

  async generate(messages: LLMMessage[], options: SessionChatCallOptions): Promise<SessionTurnResult> {
    this.calls.push({ kind: 'generate', messages: structuredClone(messages), options: { ...options } });
    const reply = this.next();
    await this.gate?.();
    if ('fail' in reply) throw reply.fail;
    if ('json' in reply) throw new Error('json reply in generate');
    return turnOf(reply);
  }

  stream(messages: LLMMessage[], options: SessionChatCallOptions, onTranscript: (t: LLMMessage[]) => void) {
    this.calls.push({ kind: 'stream', messages: structuredClone(messages), options: { ...options } });
    const reply = this.next();
    return new BufferedStream(async (sink) => {
      await this.gate?.();
      if ('fail' in reply) {
        sink.push({ type: 'text-delta', text: 'partial' });
        throw reply.fail;
      }
      if ('json' in reply) throw new Error('json reply in stream');
      const turn = turnOf(reply);
      for (const word of reply.text.split(' ')) sink.push({ type: 'text-delta', text: word });
      onTranscript(turn.transcript ?? []);
      sink.push({ type: 'finish', response: turn.response });
    });
  }

  async embed(texts: string | string[], options: object): Promise<number[][]> {
    const list = Array.isArray(texts) ? texts : [texts];
    this.calls.push({ kind: 'embed', messages: [], options: { ...options, texts: list } });
    const reply = this.next();
    if ('fail' in reply) throw reply.fail;
    return list.map((text) => [text.length, 0.5]);
  }

  async generateStructured<S extends StructuredSchema>(
    messages: LLMMessage[],
    _schema: S,
    options: object,
  ): Promise<{ value: StructuredValue<S>; response: LLMResponse }> {
    this.calls.push({ kind: 'structured', messages: structuredClone(messages), options: { ...options } });
    const reply = this.next();
    await this.gate?.();
    if ('fail' in reply) throw reply.fail;
    if (!('json' in reply)) throw new Error('text reply in generateStructured');
    const result = response(reply.toolCall === true ? '' : reply.json);
    if (reply.toolCall === true) {
      const call: LLMToolCall = {
        id: 'c1',
        name: 'return_structured_response',
        arguments: JSON.parse(reply.json),
        rawArguments: reply.json,
      };
      result.toolCalls = [call];
      result.message = { role: 'assistant', content: '', toolCalls: [call], model: result.model };
    }
    return { value: JSON.parse(reply.json) as StructuredValue<S>, response: result };
  }
}
