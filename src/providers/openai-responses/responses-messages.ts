import { LLMError } from '../../errors/llm-error.js';
import type { LLMContentPart, LLMMessage, Mapped, MediaPart } from '../../spec/index.js';
import { sniffMimeType } from '../../util/mime.js';
import type {
  ResponsesImageDetail,
  ResponsesInputContent,
  ResponsesInputItem,
  ResponsesMessageItem,
} from './responses-wire.js';

/** `instructions` (the leading system messages) and the `input` items of a Responses request. */
export interface ResponsesInput {
  instructions?: string;
  input: ResponsesInputItem[];
}

const REMOTE_URL = /^(?:https?:|data:)/i;
const OPENAI_FILE_ID = /^file-[A-Za-z0-9_-]+$/;

/**
 * Converts a neutral conversation to Responses input:
 * - leading system messages → `instructions`; a system message later in the conversation stays in place;
 * - user parts → `input_text` / `input_image` / `input_file`;
 * - assistant text → an assistant message, tool calls → `function_call` items (`call_id` = the call id);
 * - tool messages → `function_call_output` items.
 * Thought parts are not replayed: a Responses reasoning item needs the provider's item id or encrypted
 * content, which neutral messages do not keep (reported once per request).
 */
export function toResponsesInput(
  messages: LLMMessage[],
  detail: ResponsesImageDetail,
): Mapped<ResponsesInput> {
  const warnings: string[] = [];
  const instructions: string[] = [];
  const input: ResponsesInputItem[] = [];
  let droppedThoughts = 0;
  let leading = true;

  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case 'system': {
        const text = textOf(message.content, at, warnings);
        if (leading) instructions.push(text);
        else input.push({ type: 'message', role: 'system', content: text });
        return;
      }
      case 'user': {
        leading = false;
        const user = userMessage(message.content, detail, at, warnings);
        // Every part was dropped (and reported): an empty message would only be rejected.
        if (user.content.length > 0 || message.content.length === 0) input.push(user);
        return;
      }
      case 'assistant': {
        leading = false;
        const texts: string[] = [];
        if (typeof message.content === 'string') texts.push(message.content);
        else {
          for (const part of message.content) {
            if (part.type === 'text') texts.push(part.text);
            else if (part.type === 'thought') droppedThoughts++;
            else if (part.type === 'provider_data')
              continue; // another provider's opaque block
            else
              warnings.push(
                `${at}: ${part.type} parts of assistant turns cannot be replayed to the Responses API; dropped`,
              );
          }
        }
        const text = texts.join('');
        if (text !== '') input.push({ type: 'message', role: 'assistant', content: text });
        for (const call of message.toolCalls ?? []) {
          input.push({
            type: 'function_call',
            call_id: call.id,
            name: call.name,
            arguments: call.rawArguments !== '' ? call.rawArguments : JSON.stringify(call.arguments ?? {}),
          });
        }
        return;
      }
      case 'tool': {
        leading = false;
        if (message.toolCallId == null || message.toolCallId === '') {
          throw new LLMError('INVALID_PARAMETER', `${at}.toolCallId is required on tool messages`);
        }
        input.push({
          type: 'function_call_output',
          call_id: message.toolCallId,
          output: textOf(message.content, at, warnings),
        });
        return;
      }
      default: {
        const unreachable: never = message.role;
        throw new LLMError('INVALID_PARAMETER', `${at}.role "${String(unreachable)}" is not a known role`);
      }
    }
  });

  if (droppedThoughts > 0) {
    warnings.push(
      `${droppedThoughts} thought part(s) not replayed: Responses reasoning items need the provider's item ids, which are not kept`,
    );
  }
  const value: ResponsesInput = { input };
  if (instructions.length > 0) value.instructions = instructions.join('\n\n');
  return { value, warnings };
}

/** Text of system and tool content; other parts are dropped with a warning. */
function textOf(content: string | LLMContentPart[], at: string, warnings: string[]): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else warnings.push(`${at}: ${part.type} parts are not supported in this message role; dropped`);
  }
  return texts.join('');
}

function userMessage(
  content: string | LLMContentPart[],
  detail: ResponsesImageDetail,
  at: string,
  warnings: string[],
): ResponsesMessageItem {
  if (typeof content === 'string') return { type: 'message', role: 'user', content };
  const parts: ResponsesInputContent[] = [];
  for (const [index, part] of content.entries()) {
    const where = `${at}.content[${index}]`;
    switch (part.type) {
      case 'text':
        parts.push({ type: 'input_text', text: part.text });
        continue;
      case 'image':
      case 'file':
      case 'audio':
      case 'video': {
        const converted = mediaContent(part, detail, where, warnings);
        if (converted != null) parts.push(converted);
        continue;
      }
      case 'thought':
      case 'executable_code':
      case 'code_execution_result':
      case 'provider_data':
        warnings.push(`${where}: ${part.type} parts are not sent in user turns; dropped`);
        continue;
      default: {
        const unreachable: never = part;
        throw new LLMError('INVALID_PARAMETER', `${where}: unknown part ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return { type: 'message', role: 'user', content: parts };
}

function mediaContent(
  part: MediaPart,
  detail: ResponsesImageDetail,
  where: string,
  warnings: string[],
): ResponsesInputContent | undefined {
  if (part.type === 'audio' || part.type === 'video') {
    warnings.push(`${where}: ${part.type} input is not supported by the Responses API; dropped`);
    return undefined;
  }
  const mime = part.mimeType ?? (part.data != null ? sniffBase64(part.data) : undefined);
  const isImage = part.type === 'image' || mime?.startsWith('image/') === true;
  if (part.data != null && part.data !== '') {
    const dataUrl = part.data.startsWith('data:')
      ? part.data
      : `data:${mime ?? (isImage ? 'image/png' : 'application/octet-stream')};base64,${part.data}`;
    if (isImage) return { type: 'input_image', image_url: dataUrl, detail };
    return { type: 'input_file', filename: part.name ?? 'file', file_data: dataUrl };
  }
  const url = part.url;
  if (url != null && REMOTE_URL.test(url)) {
    return isImage ? { type: 'input_image', image_url: url, detail } : { type: 'input_file', file_url: url };
  }
  if (url != null && OPENAI_FILE_ID.test(url)) {
    return isImage ? { type: 'input_image', file_id: url, detail } : { type: 'input_file', file_id: url };
  }
  warnings.push(
    url != null
      ? `${where}: ${part.type} URL "${url.slice(0, 80)}" is neither http(s) nor an OpenAI file id; dropped`
      : `${where}: ${part.type} part has neither data nor url; dropped`,
  );
  return undefined;
}

/** The MIME type of base64 data from its first bytes. */
function sniffBase64(data: string): string | undefined {
  return sniffMimeType(new Uint8Array(Buffer.from(data.slice(0, 64), 'base64')));
}

const DEFAULT_JSON_INSTRUCTION =
  'Reply with a valid JSON object only, without Markdown fences or commentary.';

/**
 * The `instructions` for JSON-object mode, which the API refuses unless the conversation mentions JSON:
 * `instruction` (a schema to follow) is appended; otherwise a default one when nothing says "JSON".
 */
export function instructionsForJsonMode(converted: ResponsesInput, instruction?: string): string | undefined {
  const text = instruction ?? (mentionsJson(converted) ? undefined : DEFAULT_JSON_INSTRUCTION);
  const current = converted.instructions;
  if (text == null) return current;
  return current != null && current !== '' ? `${current}\n\n${text}` : text;
}

function mentionsJson(converted: ResponsesInput): boolean {
  const json = /json/i;
  if (converted.instructions != null && json.test(converted.instructions)) return true;
  for (const item of converted.input) {
    if (item.type !== 'message') continue;
    if (typeof item.content === 'string') {
      if (json.test(item.content)) return true;
    } else if (item.content.some((part) => part.type === 'input_text' && json.test(part.text))) return true;
  }
  return false;
}
