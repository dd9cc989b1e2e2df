import { LLMError } from '../errors/llm-error.js';
import type { LLMContentPart, LLMMessage, MessageInput } from '../spec/index.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const PART_TYPES = new Set([
  'text',
  'image',
  'audio',
  'video',
  'file',
  'thought',
  'executable_code',
  'code_execution_result',
  'provider_data',
]);

function invalid(path: string, message: string): LLMError {
  return new LLMError('INVALID_PARAMETER', `${path}: ${message}`, { details: { path } });
}

function checkPart(part: unknown, path: string): asserts part is LLMContentPart {
  if (part == null || typeof part !== 'object') throw invalid(path, 'must be a content part object');
  const { type } = part as { type?: unknown };
  if (typeof type !== 'string' || !PART_TYPES.has(type)) {
    throw invalid(
      `${path}.type`,
      `must be one of ${[...PART_TYPES].join(', ')} (got ${JSON.stringify(type)})`,
    );
  }
  const record = part as Record<string, unknown>;
  switch (type) {
    case 'text':
    case 'thought':
      if (typeof record.text !== 'string') throw invalid(`${path}.text`, 'must be a string');
      return;
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      if (typeof record.data !== 'string' && typeof record.url !== 'string') {
        throw invalid(path, `a ${type} part needs \`data\` (base64) or \`url\``);
      }
      return;
    case 'executable_code':
      if (typeof record.code !== 'string') throw invalid(`${path}.code`, 'must be a string');
      return;
    case 'code_execution_result':
      if (typeof record.output !== 'string') throw invalid(`${path}.output`, 'must be a string');
      return;
    case 'provider_data':
      if (typeof record.apiType !== 'string') throw invalid(`${path}.apiType`, 'must be a string');
      if (record.data == null || typeof record.data !== 'object' || Array.isArray(record.data)) {
        throw invalid(`${path}.data`, 'must be the provider block (an object)');
      }
      return;
  }
}

/** Checks one message's shape; throws `INVALID_PARAMETER` naming the bad field. */
export function checkMessage(message: unknown, path: string): asserts message is LLMMessage {
  if (message == null || typeof message !== 'object' || Array.isArray(message)) {
    throw invalid(path, 'must be a message object { role, content }');
  }
  const { role, content, toolCalls, toolCallId } = message as Record<string, unknown>;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw invalid(`${path}.role`, `must be system, user, assistant or tool (got ${JSON.stringify(role)})`);
  }
  if (typeof content === 'string') {
    // fine
  } else if (Array.isArray(content)) {
    for (const [index, part] of content.entries()) checkPart(part, `${path}.content[${index}]`);
  } else if (!(role === 'assistant' && content == null && Array.isArray(toolCalls))) {
    throw invalid(`${path}.content`, 'must be a string or an array of content parts');
  }
  if (toolCalls != null && !Array.isArray(toolCalls)) throw invalid(`${path}.toolCalls`, 'must be an array');
  if (role === 'tool' && (typeof toolCallId !== 'string' || toolCallId === '')) {
    throw invalid(`${path}.toolCallId`, 'a tool message needs the id of the call it answers');
  }
}

/** One user turn from `chat`/`stream` input: a string, a message, or content parts. */
export function toUserMessage(input: MessageInput, path = 'input'): LLMMessage {
  if (typeof input === 'string') return { role: 'user', content: input };
  if (Array.isArray(input)) {
    for (const [index, part] of input.entries()) checkPart(part, `${path}[${index}]`);
    return { role: 'user', content: input };
  }
  checkMessage(input, path);
  return input;
}

/** Validates a full history for `generate`. */
export function checkMessages(messages: unknown, path = 'messages'): LLMMessage[] {
  if (!Array.isArray(messages)) throw invalid(path, 'must be an array of messages');
  if (messages.length === 0) throw invalid(path, 'must hold at least one message');
  for (const [index, message] of messages.entries()) checkMessage(message, `${path}[${index}]`);
  return messages as LLMMessage[];
}

/** Builds the message list of a one-turn call: optional system instruction, then the user turn. */
export function buildTurn(input: MessageInput | LLMMessage[], instruction: string | undefined): LLMMessage[] {
  const isHistory =
    Array.isArray(input) &&
    input.length > 0 &&
    typeof input[0] === 'object' &&
    'role' in (input[0] as object);
  const messages = isHistory ? checkMessages(input) : [toUserMessage(input as MessageInput)];
  if (instruction == null) return messages;
  if (typeof instruction !== 'string') throw invalid('instruction', 'must be a string');
  return [{ role: 'system', content: instruction }, ...messages];
}

/** The text of a message's content (text parts joined). */
export function textOf(content: LLMMessage['content']): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
