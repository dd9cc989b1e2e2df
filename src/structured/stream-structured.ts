import { restoreOptionalFields } from '../schema/optional-paths.js';
import type { LLMMessage, LLMResponse } from '../spec/index.js';
import { isRecord } from '../util/safe-json.js';
import { EventChannel } from './event-channel.js';
import { PartialJsonParser } from './partial-json.js';
import { ROOT_KEY, type StructuredPlan } from './structured-plan.js';
import { STRUCTURED_TOOL_NAME } from './structured-prompts.js';
import { argumentsText, StructuredRun } from './structured-run.js';
import type {
  DeepPartial,
  PartialStructured,
  StructuredModelCall,
  StructuredOptions,
  StructuredResult,
  StructuredRunner,
  StructuredSchema,
  StructuredStream,
  StructuredValue,
} from './structured-types.js';

const ignore = (): void => undefined;

/**
 * `generateStructured` with partial values while the answer streams (through `runner.stream`; without it,
 * `runner.call` and one partial per answer). Iterate for events (once), await `value` (or `result`) for the
 * validated value; the request starts at once, whether or not anyone iterates.
 *
 * Events: `{ type: 'partial', partial, delta, text, attempt }` whenever the parsed value changed (not
 * validated; with AutoCoT `partial` is the `result` part and `reasoning` the reasoning so far), and
 * `{ type: 'restart', attempt, issues }` before a re-ask: the answer failed, partials start again from
 * nothing. In `tool_call`, providers deliver the arguments whole, so there is one partial per answer.
 *
 * Cost: every answer character is parsed once (`PartialJsonParser`); a partial is built only for deltas that
 * changed the value, only once iteration started, and copies only the containers still open. The final
 * value goes through the same repair → validation → re-ask loop as `generateStructured`; the iterator
 * throws (and `value` rejects) with the same errors.
 */
export function streamStructured<S extends StructuredSchema>(
  runner: StructuredRunner,
  messages: readonly LLMMessage[],
  schema: S,
  options: StructuredOptions<StructuredValue<S>> = {},
): StructuredStream<StructuredValue<S>> {
  type T = StructuredValue<S>;
  const channel = new EventChannel<PartialStructured<T>>();
  const run = async (): Promise<StructuredResult<T>> => {
    const structured = new StructuredRun<T>(runner, messages, schema, options);
    for (;;) {
      const response = await streamAttempt(runner, structured.nextRequest(), structured, channel);
      const checked = await structured.check(response);
      if (checked.ok) return structured.result(response, checked);
      if (!structured.canRetry()) throw structured.exhausted(checked);
      structured.addFeedback(response, checked.issues);
      channel.push({ type: 'restart', attempt: structured.attempts + 1, issues: checked.issues });
    }
  };
  return structuredStreamOf(channel, run());
}

/**
 * The `StructuredStream` of a run whose events go through `channel`: the channel closes when the run ends
 * (with its error, if any); `value` and `result` settle with it.
 */
export function structuredStreamOf<T>(
  channel: EventChannel<PartialStructured<T>>,
  result: Promise<StructuredResult<T>>,
): StructuredStream<T> {
  result.then(
    () => channel.close(),
    (error: unknown) => channel.close(error),
  );
  const value = result.then((done) => done.value);
  // Callers may only iterate: an unobserved rejection must not become an unhandled one.
  result.catch(ignore);
  value.catch(ignore);
  return { [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](), value, result };
}

async function streamAttempt<T>(
  runner: StructuredRunner,
  request: StructuredModelCall,
  run: StructuredRun<T>,
  channel: EventChannel<PartialStructured<T>>,
): Promise<LLMResponse> {
  const emitter = new PartialEmitter(run.plan, run.attempts, channel);
  const toolCall = run.plan.strategy === 'tool_call';
  if (runner.stream == null) {
    const response = await runner.call(request);
    const call = toolCall ? response.toolCalls.find((c) => c.name === STRUCTURED_TOOL_NAME) : undefined;
    emitter.whole(call != null ? argumentsText(call) : response.text);
    return response;
  }
  const stream = runner.stream(request);
  try {
    for await (const event of stream) {
      if (event.type === 'text-delta' && !toolCall) emitter.text(event.text);
      // A tool round ended (toolsFirst): its text was not the answer; the next round's text is read afresh.
      else if (event.type === 'tool-result' && !toolCall) emitter.reset();
      else if (event.type === 'tool-call' && toolCall && event.toolCall.name === STRUCTURED_TOOL_NAME) {
        emitter.whole(argumentsText(event.toolCall));
      }
    }
  } catch (error) {
    stream.response.catch(ignore);
    throw error;
  }
  return await stream.response;
}

/** Feeds one answer to a `PartialJsonParser` and pushes a partial event when the value changed. */
class PartialEmitter<T> {
  private parser = new PartialJsonParser();
  private chunks: string[] = [];
  private emittedVersion = 0;

  constructor(
    private readonly plan: StructuredPlan,
    private readonly attempt: number,
    private readonly channel: EventChannel<PartialStructured<T>>,
  ) {}

  text(delta: string): void {
    this.chunks.push(delta);
    this.parser.push(delta);
    this.emit(delta);
  }

  /** Forgets the text so far (it belonged to a tool round, not to the answer). */
  reset(): void {
    this.parser = new PartialJsonParser();
    this.chunks = [];
    this.emittedVersion = 0;
  }

  /** A whole answer at once (tool-call arguments, or an unstreamed response). */
  whole(text: string): void {
    this.parser = new PartialJsonParser();
    this.chunks = [text];
    this.emittedVersion = 0;
    this.parser.push(text);
    this.emit(text);
  }

  private emit(delta: string): void {
    if (!this.channel.reading || this.parser.version === this.emittedVersion) return;
    this.emittedVersion = this.parser.version;
    let value = this.parser.snapshot();
    // Safe on a snapshot: open containers are copies, and completed ones get the same treatment once.
    if (this.plan.optionalPaths.length > 0) value = restoreOptionalFields(value, this.plan.optionalPaths);
    if (this.plan.rootWrapped) {
      if (!isRecord(value) || !Object.hasOwn(value, ROOT_KEY)) return;
      value = value[ROOT_KEY];
    }
    let reasoning: string | undefined;
    if (this.plan.autoCoT) {
      if (!isRecord(value) || !Object.hasOwn(value, 'result')) return;
      if (typeof value.reasoning === 'string') reasoning = value.reasoning;
      value = value.result;
    }
    if (value === undefined) return;
    const chunks = this.chunks;
    const count = chunks.length;
    let joined: string | undefined;
    const event: PartialStructured<T> = {
      type: 'partial',
      partial: value as DeepPartial<T>,
      delta,
      attempt: this.attempt,
      get text(): string {
        joined ??= chunks.slice(0, count).join('');
        return joined;
      },
    };
    if (reasoning !== undefined) event.reasoning = reasoning;
    this.channel.push(event);
  }
}
