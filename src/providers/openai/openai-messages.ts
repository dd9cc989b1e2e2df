import { LLMError } from '../../errors/llm-error.js';
import type { LLMContentPart, LLMMessage, LLMToolCall, Mapped, MediaPart } from '../../spec/index.js';
import type { OpenAIDialectProfile, OpenAIQuirks } from './openai-dialects.js';
import type { OpenAIChatMessage, OpenAIContentPart, OpenAIWireToolCall } from './openai-wire.js';

export interface OpenAIMessagesContext {
  profile: OpenAIDialectProfile;
  quirks: OpenAIQuirks;
  /** Provider of the request: reasoning artefacts are replayed only from its own messages. */
  providerName: string;
}

/**
 * `LLMMessage[]` → chat-completions `messages`. Never mutates its input; parts a role or dialect cannot
 * carry become warnings. Thought parts are dropped, except that DeepSeek gets the reasoning of the
 * current tool-calling turn back as `reasoning_content` (its thinking mode requires it).
 */
export function convertToOpenAIMessages(
  messages: readonly LLMMessage[],
  context: OpenAIMessagesContext,
): Mapped<OpenAIChatMessage[]> {
  const warnings: string[] = [];
  const lastUser = context.profile.replaysReasoningContent ? findLastUser(messages) : messages.length;
  const out: OpenAIChatMessage[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as LLMMessage;
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: systemText(message.content, index, warnings) });
        break;
      case 'user':
        out.push({ role: 'user', content: userContent(message.content, context.profile, index, warnings) });
        break;
      case 'assistant':
        out.push(assistantMessage(message, index > lastUser, context, index, warnings));
        break;
      case 'tool':
        out.push(toolMessage(message, index, warnings));
        break;
      default: {
        const unreachable: never = message.role;
        throw new LLMError(
          'INVALID_PARAMETER',
          `messages[${index}].role: unknown role ${String(unreachable)}`,
        );
      }
    }
  }
  return { value: out, warnings };
}

function findLastUser(messages: readonly LLMMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') return index;
  }
  return -1;
}

function systemText(content: LLMMessage['content'], index: number, warnings: string[]): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    const text = partAsText(part);
    if (text !== undefined) texts.push(text);
    else if (part.type !== 'thought')
      warnings.push(`messages[${index}]: ${part.type} part in a system message is not sent`);
  }
  return texts.join('\n');
}

function userContent(
  content: LLMMessage['content'],
  profile: OpenAIDialectProfile,
  index: number,
  warnings: string[],
): string | OpenAIContentPart[] {
  if (typeof content === 'string') return content;
  const parts: OpenAIContentPart[] = [];
  for (const part of content) {
    const text = partAsText(part);
    if (text !== undefined) {
      parts.push({ type: 'text', text });
      continue;
    }
    if (part.type === 'thought' || part.type === 'provider_data') continue;
    const media = mediaPart(part as MediaPart, profile, `messages[${index}]`, warnings);
    if (media !== undefined) parts.push(media);
  }
  const [first] = parts;
  if (first === undefined) return '';
  if (parts.length === 1 && first.type === 'text') return first.text;
  return parts;
}

/** Text of a text-like part (text, code and code results render as text); `undefined` for others. */
function partAsText(part: LLMContentPart): string | undefined {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'executable_code':
      return `\`\`\`${part.language.toLowerCase()}\n${part.code}\n\`\`\``;
    case 'code_execution_result':
      return `Code execution result (${part.outcome}):\n\`\`\`\n${part.output}\n\`\`\``;
    default:
      return undefined;
  }
}

function mediaPart(
  part: MediaPart,
  profile: OpenAIDialectProfile,
  where: string,
  warnings: string[],
): OpenAIContentPart | undefined {
  const mimeType = part.mimeType ?? (part.data != null ? sniffMimeType(part.data, part.type) : undefined);
  // Files that are really images or audio travel as such.
  const kind = part.type === 'file' && mimeType != null ? (mediaKindOf(mimeType) ?? 'file') : part.type;
  switch (kind) {
    case 'image': {
      const url = part.url ?? (part.data != null ? dataUrl(part.data, mimeType ?? 'image/png') : undefined);
      if (url !== undefined) return { type: 'image_url', image_url: { url } };
      break;
    }
    case 'audio': {
      const format = mimeType != null ? audioFormatOf(mimeType) : undefined;
      if (!profile.inputAudio)
        warnings.push(`${where}: audio input is not supported by ${profile.name}; not sent`);
      else if (part.data == null || format === undefined) {
        warnings.push(`${where}: audio must be base64 wav or mp3 data for ${profile.name}; not sent`);
      } else return { type: 'input_audio', input_audio: { data: stripDataUrl(part.data), format } };
      return undefined;
    }
    case 'video': {
      const url = part.url ?? (part.data != null ? dataUrl(part.data, mimeType ?? 'video/mp4') : undefined);
      if (!profile.inputVideo)
        warnings.push(`${where}: video input is not supported by ${profile.name}; not sent`);
      else if (url !== undefined) return { type: 'video_url', video_url: { url } };
      return undefined;
    }
    case 'file': {
      if (!profile.inputFile) {
        warnings.push(`${where}: file input is not supported by ${profile.name}; not sent`);
        return undefined;
      }
      const filename = part.name ?? defaultFileName(mimeType);
      if (part.data != null) {
        const fileData = dataUrl(part.data, mimeType ?? 'application/octet-stream');
        return { type: 'file', file: { filename, file_data: fileData } };
      }
      if (part.url != null && /^file-[\w-]+$/.test(part.url))
        return { type: 'file', file: { file_id: part.url } };
      if (part.url != null && profile.inputFileUrl)
        return { type: 'file', file: { filename, file_data: part.url } };
      warnings.push(`${where}: ${profile.name} takes files as base64 data or an uploaded file id; not sent`);
      return undefined;
    }
  }
  warnings.push(`${where}: ${part.type} part without data or url; not sent`);
  return undefined;
}

function assistantMessage(
  message: LLMMessage,
  inCurrentTurn: boolean,
  context: OpenAIMessagesContext,
  index: number,
  warnings: string[],
): OpenAIChatMessage {
  const texts: string[] = [];
  const thoughts: string[] = [];
  if (typeof message.content === 'string') texts.push(message.content);
  else {
    for (const part of message.content) {
      const text = partAsText(part);
      if (text !== undefined) texts.push(text);
      else if (part.type === 'thought') thoughts.push(part.text);
      else if (part.type === 'provider_data')
        continue; // another provider's opaque block
      else warnings.push(`messages[${index}]: ${part.type} part in an assistant message is not sent`);
    }
  }
  const content = texts.join('');
  const ownArtefacts = isFromProvider(message, context.providerName);
  const calls = message.toolCalls;
  const wire: OpenAIChatMessage & { role: 'assistant' } = {
    role: 'assistant',
    content: content === '' && calls != null && calls.length > 0 ? null : content,
  };
  if (calls != null && calls.length > 0) {
    wire.tool_calls = calls.map((call) => wireToolCall(call, ownArtefacts && context.quirks.geminiCompat));
  }
  if (inCurrentTurn && ownArtefacts && thoughts.length > 0) wire.reasoning_content = thoughts.join('');
  return wire;
}

function wireToolCall(call: LLMToolCall, withSignature: boolean): OpenAIWireToolCall {
  const args =
    call.rawArguments != null && call.rawArguments !== ''
      ? call.rawArguments
      : JSON.stringify(call.arguments ?? {});
  const wire: OpenAIWireToolCall = {
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: args },
  };
  if (withSignature && call.thoughtSignature != null) {
    wire.extra_content = { google: { thought_signature: call.thoughtSignature } };
  }
  return wire;
}

function toolMessage(message: LLMMessage, index: number, warnings: string[]): OpenAIChatMessage {
  if (message.toolCallId == null || message.toolCallId === '') {
    throw new LLMError(
      'INVALID_PARAMETER',
      `messages[${index}].toolCallId: a tool message needs the id of the call it answers`,
    );
  }
  const content: unknown = message.content;
  let text: string;
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content as LLMContentPart[]) {
      const partText = partAsText(part);
      if (partText !== undefined) texts.push(partText);
      else warnings.push(`messages[${index}]: ${part.type} part in a tool result is not sent`);
    }
    text = texts.join('\n');
  } else text = JSON.stringify(content ?? null);
  return { role: 'tool', tool_call_id: message.toolCallId, content: text };
}

/** A message without `model` keeps its artefacts; otherwise only when `model` names this provider. */
function isFromProvider(message: LLMMessage, providerName: string): boolean {
  if (message.model == null) return true;
  const slash = message.model.indexOf('/');
  const provider = slash === -1 ? message.model : message.model.slice(0, slash);
  return provider.toLowerCase() === providerName.toLowerCase();
}

const DEFAULT_JSON_INSTRUCTION =
  'Reply with a valid JSON object only, without Markdown fences or commentary.';

/**
 * Adds `instruction` to the system prompt, or, for JSON mode (`json_object`), a short JSON instruction
 * when no message mentions "json" (OpenAI and DeepSeek reject JSON mode otherwise). Mutates the wire
 * messages it is given (they are freshly built, never the caller's).
 */
export function addSystemInstruction(
  messages: OpenAIChatMessage[],
  instruction: string | undefined,
  jsonObjectMode: boolean,
): void {
  const text =
    instruction ?? (jsonObjectMode && !mentionsJson(messages) ? DEFAULT_JSON_INSTRUCTION : undefined);
  if (text === undefined) return;
  const system = messages.find((message) => message.role === 'system');
  if (system === undefined) messages.unshift({ role: 'system', content: text });
  else if (typeof system.content === 'string')
    system.content = system.content === '' ? text : `${system.content}\n\n${text}`;
  else system.content.push({ type: 'text', text });
}

function mentionsJson(messages: readonly OpenAIChatMessage[]): boolean {
  const json = /json/i;
  for (const message of messages) {
    const content = message.content;
    if (typeof content === 'string') {
      if (json.test(content)) return true;
    } else if (content != null) {
      for (const part of content) if (part.type === 'text' && json.test(part.text)) return true;
    }
  }
  return false;
}

function dataUrl(data: string, mimeType: string): string {
  return data.startsWith('data:') ? data : `data:${mimeType};base64,${data}`;
}

function stripDataUrl(data: string): string {
  return data.startsWith('data:') ? data.slice(data.indexOf(',') + 1) : data;
}

function mediaKindOf(mimeType: string): 'image' | 'audio' | undefined {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  return undefined;
}

function audioFormatOf(mimeType: string): 'wav' | 'mp3' | undefined {
  const type = mimeType.toLowerCase();
  if (type === 'audio/wav' || type === 'audio/x-wav' || type === 'audio/wave' || type === 'audio/vnd.wave')
    return 'wav';
  if (type === 'audio/mpeg' || type === 'audio/mp3' || type === 'audio/mpeg3') return 'mp3';
  return undefined;
}

// Leading base64 of common magic numbers, for parts built without a mime type.
const SIGNATURES: [string, string][] = [
  ['iVBORw0KGgo', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'audio/wav'], // RIFF: WAVE, or WEBP for image parts
  ['SUQz', 'audio/mpeg'],
  ['JVBERi0', 'application/pdf'],
];

function sniffMimeType(data: string, type: MediaPart['type']): string | undefined {
  for (const [prefix, mimeType] of SIGNATURES) {
    if (data.startsWith(prefix)) return type === 'image' && prefix === 'UklGR' ? 'image/webp' : mimeType;
  }
  return undefined;
}

function defaultFileName(mimeType: string | undefined): string {
  const subtype = mimeType?.split('/')[1]?.split(/[+;]/)[0];
  return subtype != null && subtype !== '' && subtype !== 'octet-stream' ? `document.${subtype}` : 'document';
}
