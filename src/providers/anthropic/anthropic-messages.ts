import { LLMError } from '../../errors/llm-error.js';
import type { LLMContentPart, LLMMessage, Mapped, TextPart } from '../../spec/index.js';
import { anthropicMediaBlock } from './anthropic-media.js';
import type {
  AnthropicCitedTextBlock,
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicOpaqueBlock,
  AnthropicReplayBlock,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from './anthropic-wire.js';

/** The `apiType` of the provider data parts this dialect reads and replays. */
export const ANTHROPIC_API_TYPE = 'anthropic';

export interface AnthropicMessagesInput {
  messages: readonly LLMMessage[];
  /** Name of the provider being called: artefacts of messages whose `model` names another one are dropped. */
  providerName: string;
  /** `customParams.citations`: documents get `citations: { enabled: true }`. */
  citations: boolean;
}

export interface AnthropicMessageFields {
  system?: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

type Block = AnthropicContentBlock | AnthropicReplayBlock;

/** Tool ids Anthropic accepts (`^[a-zA-Z0-9_-]+$`); other characters (from other providers' ids) become `_`. */
export function anthropicToolId(id: string): string {
  return /^[a-zA-Z0-9_-]+$/.test(id) ? id : id.replace(/[^a-zA-Z0-9_-]/g, '_') || 'tool_call';
}

/** A message keeps its artefacts unless its `model` names a different provider than the one called. */
export function keepsArtefacts(message: LLMMessage, providerName: string): boolean {
  if (message.model == null) return true;
  const slash = message.model.indexOf('/');
  const origin = slash === -1 ? message.model : message.model.slice(0, slash);
  return origin.toLowerCase() === providerName.toLowerCase();
}

/**
 * Neutral messages → Anthropic `system` + `messages` (API.md §13). System messages go, in order, into the
 * top-level `system` blocks; user turns become text, `image` and `document` blocks; assistant turns replay
 * their parts in order (signed `thinking`, `redacted_thinking`, text with its citations, server-tool blocks
 * kept as `provider_data`) and then their tool calls as `tool_use` blocks; tool messages become `tool_result`
 * blocks of the next user turn (consecutive results, and a user turn right after them, share one message).
 * Reasoning artefacts (signatures, redacted thinking, citations, provider data) are sent only when the
 * message's `model` names the provider being called; a thinking part without a signature is never sent.
 * `cacheControl` on a part → `cache_control` on its block. The caller's messages are never mutated.
 */
export function convertAnthropicMessages(input: AnthropicMessagesInput): Mapped<AnthropicMessageFields> {
  const warnings: string[] = [];
  const system: AnthropicTextBlock[] = [];
  const out: AnthropicMessage[] = [];
  let unsignedThoughts = 0;
  const push = (role: AnthropicMessage['role'], blocks: Block[]): void => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };

  input.messages.forEach((message, index) => {
    const where = `messages[${index}]`;
    switch (message.role) {
      case 'system':
        for (const block of textBlocks(message.content, where, warnings, 'system')) system.push(block);
        return;
      case 'user': {
        const blocks = userBlocks(message.content, input.citations, where, warnings);
        if (blocks.length === 0) warnings.push(`${where}: empty user message skipped`);
        push('user', blocks);
        return;
      }
      case 'assistant': {
        const keep = keepsArtefacts(message, input.providerName);
        const blocks: Block[] = [];
        if (typeof message.content === 'string') {
          if (message.content !== '') blocks.push({ type: 'text', text: message.content });
        } else if (message.content != null) {
          message.content.forEach((part, i) => {
            const block = assistantBlock(part, keep, `${where}.content[${i}]`, warnings);
            if (block === 'unsigned') unsignedThoughts++;
            else if (block != null) blocks.push(block);
          });
        }
        for (const call of message.toolCalls ?? []) {
          blocks.push({
            type: 'tool_use',
            id: anthropicToolId(call.id),
            name: call.name,
            input: call.arguments,
          });
        }
        if (blocks.length === 0) warnings.push(`${where}: empty assistant message skipped`);
        push('assistant', blocks);
        return;
      }
      case 'tool':
        push('user', [toolResult(message, where, warnings)]);
        return;
      default: {
        const unreachable: never = message.role;
        throw new LLMError('INVALID_PARAMETER', `${where}.role: unknown role ${String(unreachable)}`);
      }
    }
  });

  if (unsignedThoughts > 0) {
    warnings.push(
      `${unsignedThoughts} thought part(s) without an Anthropic signature not replayed (Anthropic takes only its own signed thinking)`,
    );
  }
  const value: AnthropicMessageFields = { messages: out };
  if (system.length > 0) value.system = system;
  return { value, warnings };
}

function textBlock(part: TextPart): AnthropicTextBlock {
  const block: AnthropicTextBlock = { type: 'text', text: part.text };
  if (part.cacheControl != null) block.cache_control = { ...part.cacheControl };
  return block;
}

/** An assistant text part; its citations go back with it to the provider that produced them. */
function assistantText(part: TextPart, keep: boolean): AnthropicTextBlock | AnthropicCitedTextBlock {
  const block = textBlock(part);
  return keep && part.citations != null && part.citations.length > 0
    ? { ...block, citations: part.citations }
    : block;
}

/** Code parts from other providers' histories, as text (Anthropic has no block for them). */
function codeAsText(part: LLMContentPart): string | undefined {
  if (part.type === 'executable_code') return `\`\`\`${part.language.toLowerCase()}\n${part.code}\n\`\`\``;
  if (part.type === 'code_execution_result') {
    return `Code execution result (${part.outcome}):\n\`\`\`\n${part.output}\n\`\`\``;
  }
  return undefined;
}

/** Text-only content (system and tool messages): other parts are reported and dropped. */
function textBlocks(
  content: LLMMessage['content'],
  where: string,
  warnings: string[],
  role: string,
): AnthropicTextBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicTextBlock[] = [];
  for (const part of content ?? []) {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push(textBlock(part));
    } else
      warnings.push(`${where}: Anthropic ${role} content takes text only; a ${part.type} part was dropped`);
  }
  return blocks;
}

function userBlocks(
  content: LLMMessage['content'],
  citations: boolean,
  where: string,
  warnings: string[],
): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: Block[] = [];
  content.forEach((part, i) => {
    const at = `${where}.content[${i}]`;
    switch (part.type) {
      case 'text':
        if (part.text !== '') blocks.push(textBlock(part));
        return;
      case 'image':
      case 'audio':
      case 'video':
      case 'file': {
        const block = anthropicMediaBlock(part, { citations, where: at }, warnings);
        if (block != null) blocks.push(block);
        return;
      }
      case 'executable_code':
      case 'code_execution_result':
        blocks.push({ type: 'text', text: codeAsText(part) as string });
        return;
      case 'thought':
      case 'provider_data':
        warnings.push(`${at}: ${part.type} parts are not sent in user turns; dropped`);
        return;
      default: {
        const unreachable: never = part;
        throw new LLMError('INVALID_PARAMETER', `${at}.type: unknown part ${JSON.stringify(unreachable)}`);
      }
    }
  });
  return blocks;
}

/** One assistant part as a block; `'unsigned'` for a thought Anthropic cannot take back; undefined when dropped. */
function assistantBlock(
  part: LLMContentPart,
  keep: boolean,
  where: string,
  warnings: string[],
): Block | 'unsigned' | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : assistantText(part, keep);
    case 'thought':
      if (keep && part.redactedData != null) return { type: 'redacted_thinking', data: part.redactedData };
      if (keep && part.thoughtSignature != null && part.thoughtSignature !== '') {
        return { type: 'thinking', thinking: part.text, signature: part.thoughtSignature };
      }
      return 'unsigned';
    case 'provider_data':
      // Server-tool blocks go back exactly as they came, to the provider that produced them only.
      return keep && part.apiType === ANTHROPIC_API_TYPE ? (part.data as AnthropicOpaqueBlock) : undefined;
    case 'executable_code':
    case 'code_execution_result':
      return { type: 'text', text: codeAsText(part) as string };
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      warnings.push(`${where}: Anthropic assistant turns cannot carry ${part.type} parts; dropped`);
      return undefined;
    default: {
      const unreachable: never = part;
      throw new LLMError('INVALID_PARAMETER', `${where}.type: unknown part ${JSON.stringify(unreachable)}`);
    }
  }
}

function toolResult(message: LLMMessage, where: string, warnings: string[]): AnthropicToolResultBlock {
  if (message.toolCallId == null || message.toolCallId === '') {
    throw new LLMError(
      'INVALID_PARAMETER',
      `${where}.toolCallId: a tool message needs the id of the call it answers`,
    );
  }
  const content: AnthropicToolResultBlock['content'] = [];
  if (typeof message.content === 'string') {
    // An empty text block is refused by the API; an empty result is sent without content.
    if (message.content !== '') content.push({ type: 'text', text: message.content });
  } else {
    message.content.forEach((part, i) => {
      const at = `${where}.content[${i}]`;
      if (part.type === 'text') content.push(textBlock(part));
      else if (part.type === 'image') {
        const block = anthropicMediaBlock(part, { citations: false, where: at }, warnings);
        if (block?.type === 'image') content.push(block);
      } else
        warnings.push(`${at}: Anthropic tool results take text and images; a ${part.type} part was dropped`);
    });
  }
  return { type: 'tool_result', tool_use_id: anthropicToolId(message.toolCallId), content };
}
