import { redactSecrets } from '../logging/secrets.js';
import type { LLMContentPart, LLMMessage, LLMResponse, LLMToolCall } from '../spec/index.js';

// Content in the GenAI semantic conventions' message shape (`gen_ai.input.messages`, `gen_ai.output.messages`,
// `gen_ai.system_instructions`: https://opentelemetry.io/docs/specs/semconv/gen-ai/), recorded as JSON strings
// and only with `telemetry.recordContent`. Media never travels as bytes: a URL as a `uri` part, inline data
// as a `blob` part whose `content` names its size.

type Part = Record<string, unknown>;
interface SemconvMessage {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

function mediaPart(part: Extract<LLMContentPart, { type: 'image' | 'audio' | 'video' | 'file' }>): Part {
  const out: Part = { modality: part.type };
  if (part.mimeType != null) out.mime_type = part.mimeType;
  if (part.url != null && !part.url.startsWith('data:')) return { type: 'uri', ...out, uri: part.url };
  const base64 = part.data ?? part.url?.slice(part.url.indexOf(',') + 1) ?? '';
  return { type: 'blob', ...out, content: `[${Math.floor((base64.length * 3) / 4)} bytes omitted]` };
}

function partOf(part: LLMContentPart): Part {
  switch (part.type) {
    case 'text':
      return { type: 'text', content: part.text };
    case 'thought':
      return { type: 'reasoning', content: part.text };
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return mediaPart(part);
    case 'executable_code':
      return { type: 'executable_code', language: part.language, code: part.code };
    case 'code_execution_result':
      return { type: 'code_execution_result', outcome: part.outcome, output: part.output };
    case 'provider_data':
      return { type: 'provider_data', provider: part.apiType };
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
}

function toolCallPart(call: LLMToolCall): Part {
  return { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
}

function partsOf(content: string | LLMContentPart[]): Part[] {
  return typeof content === 'string' ? [{ type: 'text', content }] : content.map(partOf);
}

function messageOf(message: LLMMessage): SemconvMessage {
  if (message.role === 'tool') {
    const result = typeof message.content === 'string' ? message.content : message.content.map(partOf);
    return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.toolCallId, result }] };
  }
  const parts = partsOf(message.content);
  if (message.toolCalls != null) parts.push(...message.toolCalls.map(toolCallPart));
  return { role: message.role, parts };
}

function isMessage(value: unknown): value is LLMMessage {
  return typeof value === 'object' && value !== null && 'role' in value && 'content' in value;
}

/** The input of a call (`MessageInput` or `LLMMessage[]`) as semconv messages. */
export function inputMessages(input: unknown): SemconvMessage[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  if (isMessage(input)) return [messageOf(input)];
  if (!Array.isArray(input)) return [];
  if (input.every(isMessage)) return input.map(messageOf);
  return [{ role: 'user', parts: (input as LLMContentPart[]).map(partOf) }];
}

/** The answer of a call as semconv output messages. */
export function outputMessages(response: LLMResponse): SemconvMessage[] {
  const parts = response.contentParts.map(partOf);
  parts.push(...response.toolCalls.map(toolCallPart));
  return [{ role: 'assistant', parts, finish_reason: response.finishReason }];
}

/** `gen_ai.system_instructions` of an `instruction`. */
export function systemInstructions(instruction: string): Part[] {
  return [{ type: 'text', content: instruction }];
}

/** JSON for an attribute, with anything that looks like a configured key masked; never throws. */
export function contentJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = '"[unserialisable]"';
  }
  return redactSecrets(text);
}
