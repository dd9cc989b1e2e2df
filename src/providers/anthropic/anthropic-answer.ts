import type {
  FinishReason,
  Grounding,
  LLMContentPart,
  LLMToolCall,
  LLMUsage,
  ParsedChat,
  TextPart,
  ThoughtPart,
} from '../../spec/index.js';
import { isRecord, safeParseJson } from '../../util/safe-json.js';
import { type AnthropicErrorContext, refusalError } from './anthropic-error.js';
import { ANTHROPIC_API_TYPE } from './anthropic-messages.js';
import type { AnthropicUsage } from './anthropic-wire.js';

/** `stop_reason` → neutral finish reason (`refusal` never gets here: it throws `CONTENT_FILTERED`). */
export function finishReasonOf(stopReason: string | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'other';
  }
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Anthropic `usage` → neutral usage: `promptTokens` = `input_tokens` + `cache_read_input_tokens` +
 * `cache_creation_input_tokens` (Anthropic's `input_tokens` counts only the uncached part), `cachedTokens` =
 * `cache_read_input_tokens`, `reasoningTokens` = `output_tokens_details.thinking_tokens` when given.
 */
export function mapAnthropicUsage(usage: AnthropicUsage | undefined): LLMUsage | undefined {
  if (usage == null) return undefined;
  const cacheRead = usage.cache_read_input_tokens;
  const promptTokens = num(usage.input_tokens) + num(cacheRead) + num(usage.cache_creation_input_tokens);
  const completionTokens = num(usage.output_tokens);
  const result: LLMUsage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  if (typeof cacheRead === 'number') result.cachedTokens = cacheRead;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') result.reasoningTokens = thinking;
  return result;
}

/**
 * Collects the content blocks of one answer (from a whole message or from a stream, block by block) into
 * neutral parts: `text` → text parts (citations kept on the part), `thinking` → thought parts with the
 * signature as `thoughtSignature`, `redacted_thinking` → a thought with `redactedData`, `tool_use` → tool
 * calls, anything else (`server_tool_use`, `web_search_tool_result`, code-execution results, newer block
 * types) → `provider_data` parts kept verbatim. Web searches also fill `grounding` (queries, result URLs and
 * cited URLs). Text is joined once, in `build`.
 */
export class AnthropicAnswer {
  private readonly parts: LLMContentPart[] = [];
  private readonly toolCalls: LLMToolCall[] = [];
  private readonly texts: string[] = [];
  private readonly thoughts: string[] = [];
  private readonly warnings: string[] = [];
  private readonly queries: string[] = [];
  private readonly sources = new Map<string, { title?: string; uri: string }>();

  /** Adds one complete block. `rawInput` is the streamed JSON text of a `tool_use` input, when streamed. */
  add(block: Record<string, unknown>, rawInput?: string): LLMToolCall | undefined {
    switch (block.type) {
      case 'text': {
        const text = typeof block.text === 'string' ? block.text : '';
        this.texts.push(text);
        const part: TextPart = { type: 'text', text };
        if (Array.isArray(block.citations) && block.citations.length > 0) {
          part.citations = block.citations.filter(isRecord);
          for (const citation of part.citations) this.source(citation.url, citation.title);
        }
        this.parts.push(part);
        return undefined;
      }
      case 'thinking': {
        const text = typeof block.thinking === 'string' ? block.thinking : '';
        this.thoughts.push(text);
        const part: ThoughtPart = { type: 'thought', text };
        if (typeof block.signature === 'string' && block.signature !== '')
          part.thoughtSignature = block.signature;
        this.parts.push(part);
        return undefined;
      }
      case 'redacted_thinking':
        this.parts.push({
          type: 'thought',
          text: '',
          redactedData: typeof block.data === 'string' ? block.data : '',
        });
        return undefined;
      case 'tool_use':
        return this.toolUse(block, rawInput);
      default:
        this.serverBlock(block);
        return undefined;
    }
  }

  /** Finishes the answer. Throws `CONTENT_FILTERED` for `stop_reason: "refusal"`. */
  build(
    stopReason: string | undefined,
    usage: AnthropicUsage | undefined,
    extra: { stopSequence?: unknown; stopDetails?: unknown },
    context: AnthropicErrorContext,
  ): ParsedChat {
    const text = this.texts.join('');
    if (stopReason === 'refusal') {
      const details: Record<string, unknown> = { stopReason };
      if (extra.stopDetails != null) details.stopDetails = extra.stopDetails;
      if (text !== '') details.text = text;
      throw refusalError(context, details);
    }
    if (stopReason === 'pause_turn') {
      this.warnings.push(
        'Anthropic paused a long server-tool turn (pause_turn); send the answer back to continue',
      );
    }
    const parsed: ParsedChat = {
      text,
      contentParts: this.parts,
      toolCalls: this.toolCalls,
      finishReason: finishReasonOf(stopReason),
      images: [],
      warnings: this.warnings,
    };
    if (stopReason != null) parsed.rawFinishReason = stopReason;
    const mapped = mapAnthropicUsage(usage);
    if (mapped != null) parsed.usage = mapped;
    if (this.thoughts.length > 0) parsed.thoughtText = this.thoughts.join('');
    if (this.queries.length > 0 || this.sources.size > 0) {
      const grounding: Grounding = { queries: this.queries, sources: [...this.sources.values()] };
      parsed.grounding = grounding;
    }
    return parsed;
  }

  private toolUse(block: Record<string, unknown>, rawInput: string | undefined): LLMToolCall {
    const name = typeof block.name === 'string' ? block.name : '';
    const id =
      typeof block.id === 'string' && block.id !== '' ? block.id : `toolu_${this.toolCalls.length + 1}`;
    let args: Record<string, unknown> = isRecord(block.input) ? block.input : {};
    let raw: string;
    if (rawInput != null && rawInput.trim() !== '') {
      raw = rawInput;
      const parsed = safeParseJson(rawInput);
      if (parsed.ok && isRecord(parsed.value)) args = parsed.value;
      else {
        args = {};
        this.warnings.push(`tool call ${name}: streamed input is not a JSON object; arguments left empty`);
      }
    } else raw = JSON.stringify(args);
    const call: LLMToolCall = { id, name, arguments: args, rawArguments: raw };
    this.toolCalls.push(call);
    return call;
  }

  private serverBlock(block: Record<string, unknown>): void {
    this.parts.push({ type: 'provider_data', apiType: ANTHROPIC_API_TYPE, data: block });
    if (block.type === 'server_tool_use' && block.name === 'web_search' && isRecord(block.input)) {
      const query = block.input.query;
      if (typeof query === 'string' && query !== '') this.queries.push(query);
    } else if (block.type === 'web_search_tool_result' && Array.isArray(block.content)) {
      for (const result of block.content) if (isRecord(result)) this.source(result.url, result.title);
    }
  }

  private source(url: unknown, title: unknown): void {
    if (typeof url !== 'string' || url === '' || this.sources.has(url)) return;
    this.sources.set(url, typeof title === 'string' ? { title, uri: url } : { uri: url });
  }
}
