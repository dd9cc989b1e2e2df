import type { LLMContentPart, LLMMessage, LLMToolCall, Mapped } from '../spec/index.js';
import { parseToolArguments } from '../util/parse-tool-arguments.js';
import { invalid, kindOf, objectAt, parseDataUrl, stringAt } from './request-checks.js';

const AUDIO_TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav' };

function imagePart(value: unknown, param: string, warnings: string[]): LLMContentPart {
  // `image_url` is `{ url, detail? }`; a bare string is accepted too.
  const field = typeof value === 'string' ? { url: value } : objectAt(value, param);
  const url = stringAt(field.url, `${param}.url`).trim();
  if (field.detail != null && field.detail !== 'auto')
    warnings.push(`${param}.detail "${String(field.detail)}" is ignored`);
  const data = parseDataUrl(url);
  if (data != null) {
    return { type: 'image', data: data.data, ...(data.mimeType != null ? { mimeType: data.mimeType } : {}) };
  }
  if (!/^https?:\/\//i.test(url))
    throw invalid(`${param}.url`, 'must be an http(s) URL or a base64 data URL');
  return { type: 'image', url };
}

function audioPart(value: unknown, param: string): LLMContentPart {
  const field = objectAt(value, param);
  const data = stringAt(field.data, `${param}.data`);
  const format = stringAt(field.format, `${param}.format`).toLowerCase();
  return { type: 'audio', data, mimeType: AUDIO_TYPES[format] ?? `audio/${format}` };
}

function filePart(value: unknown, param: string): LLMContentPart {
  const field = objectAt(value, param);
  if (field.file_id != null)
    throw invalid(
      `${param}.file_id`,
      'file ids are not supported by the gateway; send file_data (a data URL)',
    );
  const data = parseDataUrl(stringAt(field.file_data, `${param}.file_data`));
  if (data == null) throw invalid(`${param}.file_data`, 'must be a base64 data URL (data:<type>;base64,…)');
  const name = typeof field.filename === 'string' ? field.filename : undefined;
  return {
    type: 'file',
    data: data.data,
    ...(data.mimeType != null ? { mimeType: data.mimeType } : {}),
    ...(name != null ? { name } : {}),
  };
}

function contentPart(value: unknown, param: string, warnings: string[]): LLMContentPart {
  const part = objectAt(value, param);
  switch (part.type) {
    case 'text':
      return { type: 'text', text: stringAt(part.text, `${param}.text`) };
    case 'refusal':
      return { type: 'text', text: stringAt(part.refusal, `${param}.refusal`) };
    case 'image_url':
      return imagePart(part.image_url, `${param}.image_url`, warnings);
    case 'input_audio':
      return audioPart(part.input_audio, `${param}.input_audio`);
    case 'file':
      return filePart(part.file, `${param}.file`);
    default:
      throw invalid(
        `${param}.type`,
        `unsupported content part ${JSON.stringify(part.type)} (text, image_url, input_audio, file)`,
      );
  }
}

/** `content` of a message: a string, or an array of content parts; `null` only where `nullable`. */
function contentOf(
  value: unknown,
  param: string,
  warnings: string[],
  nullable: boolean,
): string | LLMContentPart[] {
  if (typeof value === 'string') return value;
  if (value == null && nullable) return '';
  if (!Array.isArray(value))
    throw invalid(param, `must be a string or an array of content parts (got ${kindOf(value)})`);
  return value.map((part, index) => contentPart(part, `${param}[${index}]`, warnings));
}

/** Text-only content (system and tool messages): parts must be text and are joined. */
function textOf(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value))
    throw invalid(param, `must be a string or an array of text parts (got ${kindOf(value)})`);
  return value
    .map((part, index) => {
      const item = objectAt(part, `${param}[${index}]`);
      if (item.type !== 'text') throw invalid(`${param}[${index}].type`, 'must be "text" here');
      return stringAt(item.text, `${param}[${index}].text`);
    })
    .join('');
}

function toolCallsOf(value: unknown, param: string, names: Map<string, string>): LLMToolCall[] {
  if (!Array.isArray(value)) throw invalid(param, `must be an array (got ${kindOf(value)})`);
  return value.map((item, index) => {
    const at = `${param}[${index}]`;
    const call = objectAt(item, at);
    const id = stringAt(call.id, `${at}.id`);
    const fn = objectAt(call.function, `${at}.function`);
    const name = stringAt(fn.name, `${at}.function.name`);
    const rawArguments = fn.arguments == null ? '' : stringAt(fn.arguments, `${at}.function.arguments`);
    const parsed = parseToolArguments(rawArguments);
    names.set(id, name);
    return { id, name, arguments: parsed.ok ? parsed.value : {}, rawArguments };
  });
}

function messageOf(
  value: unknown,
  index: number,
  warnings: string[],
  names: Map<string, string>,
): LLMMessage {
  const param = `messages[${index}]`;
  const message = objectAt(value, param);
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(message.content, `${param}.content`) };
    case 'user':
      return { role: 'user', content: contentOf(message.content, `${param}.content`, warnings, false) };
    case 'assistant': {
      const out: LLMMessage = {
        role: 'assistant',
        content: contentOf(message.content, `${param}.content`, warnings, true),
      };
      if (message.tool_calls != null) {
        const calls = toolCallsOf(message.tool_calls, `${param}.tool_calls`, names);
        if (calls.length > 0) out.toolCalls = calls;
      }
      return out;
    }
    case 'tool': {
      const toolCallId = stringAt(message.tool_call_id, `${param}.tool_call_id`);
      const out: LLMMessage = {
        role: 'tool',
        toolCallId,
        content: textOf(message.content, `${param}.content`),
      };
      // Providers that match results by name (Gemini) need the tool's name: it is the name of the call answered.
      const name = names.get(toolCallId) ?? (typeof message.name === 'string' ? message.name : undefined);
      if (name != null) out.name = name;
      return out;
    }
    case 'function':
      throw invalid(
        `${param}.role`,
        '"function" messages are deprecated; use tool_calls and "tool" messages',
      );
    default:
      throw invalid(
        `${param}.role`,
        `must be one of system, developer, user, assistant, tool (got ${JSON.stringify(message.role)})`,
      );
  }
}

/**
 * OpenAI chat `messages` → `LLMMessage[]`: `developer` is a system message; user content parts text,
 * `image_url` (http(s) or data URL), `input_audio` and `file` (data URL) become text, image, audio and file
 * parts; assistant `tool_calls` become `toolCalls`; a `tool` message gets the name of the call it answers.
 * @throws LLMError `INVALID_PARAMETER` naming the field (`messages[2].content[0].image_url.url`).
 */
export function toLLMMessages(value: unknown): Mapped<LLMMessage[]> {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('messages', `must be a non-empty array of messages (got ${kindOf(value)})`);
  }
  const warnings: string[] = [];
  const names = new Map<string, string>();
  const messages = value.map((message, index) => messageOf(message, index, warnings, names));
  return { value: messages, warnings };
}
