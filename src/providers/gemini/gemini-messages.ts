import { LLMError } from '../../errors/llm-error.js';
import type { LLMContentPart, LLMMessage, Mapped, MediaPart, ProviderModel } from '../../spec/index.js';
import { safeParseJson } from '../../util/safe-json.js';
import type { GeminiContent, GeminiPart } from './gemini-wire.js';

/**
 * Google's documented value for a function call replayed without its thought signature (history from
 * another provider, or one that lost it): it tells Gemini 3 to skip signature validation.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures#faqs
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface GeminiMessagesInput {
  messages: LLMMessage[];
  model: ProviderModel;
  /** URLs of `url_context` tools, appended as a text part to the last user turn. */
  contextUrls?: string[];
}

export interface GeminiMessageFields {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
}

/**
 * Neutral messages → Gemini `contents` + `systemInstruction`. Every system message goes, in order, into
 * `systemInstruction`; assistant turns become role `model` with their tool calls as `functionCall` parts
 * (thought signature on the same part); consecutive tool results become one role-`user` content of
 * `functionResponse` parts. Signatures are replayed only to the provider that produced them. The
 * caller's messages are never mutated.
 */
export function convertGeminiMessages(input: GeminiMessagesInput): Mapped<GeminiMessageFields> {
  const warnings: string[] = [];
  const contents: GeminiContent[] = [];
  const systemParts: GeminiPart[] = [];
  const callNames = new Map<string, string>();
  const provider = input.model.provider.name.toLowerCase();
  const needsSignatures = input.model.capabilities.requiresThoughtSignatures;
  let toolContent: GeminiContent | undefined;
  let sentinels = 0;

  input.messages.forEach((message, index) => {
    const where = `messages[${index}]`;
    if (message.role !== 'tool') toolContent = undefined;
    switch (message.role) {
      case 'system': {
        for (const part of convertContent(message.content, true, where, warnings)) {
          if (part.text != null && part.thought == null) systemParts.push({ text: part.text });
          else
            warnings.push(`${where}: Gemini system instructions take text only; a non-text part was dropped`);
        }
        return;
      }
      case 'user': {
        const parts = convertContent(message.content, true, where, warnings);
        if (parts.length > 0) contents.push({ role: 'user', parts });
        else warnings.push(`${where}: empty user message skipped`);
        return;
      }
      case 'assistant': {
        const keep = keepsSignatures(message, provider);
        const parts = convertContent(message.content, keep, where, warnings);
        let signed = false;
        for (const call of message.toolCalls ?? []) {
          callNames.set(call.id, call.name);
          const part: GeminiPart = { functionCall: { name: call.name, args: call.arguments, id: call.id } };
          const signature = keep ? call.thoughtSignature : undefined;
          if (signature != null) {
            part.thoughtSignature = signature;
            signed = true;
          } else if (needsSignatures && !signed) {
            // Gemini 3 signs only the first call of a parallel batch; an unsigned batch gets the sentinel.
            part.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
            sentinels++;
          }
          parts.push(part);
        }
        if (parts.length > 0) contents.push({ role: 'model', parts });
        return;
      }
      case 'tool': {
        const part = functionResponsePart(message, callNames, where, warnings);
        if (toolContent != null) {
          toolContent.parts.push(part);
        } else {
          toolContent = { role: 'user', parts: [part] };
          contents.push(toolContent);
        }
        return;
      }
      default: {
        const unreachable: never = message.role;
        throw new LLMError('INVALID_PARAMETER', `${where}.role: unknown role ${String(unreachable)}`);
      }
    }
  });

  if (sentinels > 0) {
    warnings.push(
      `${sentinels} function call(s) replayed without a thought signature; sent ${SKIP_THOUGHT_SIGNATURE}`,
    );
  }
  if (input.contextUrls != null && input.contextUrls.length > 0) {
    appendContextUrls(contents, input.contextUrls);
  }
  const value: GeminiMessageFields = { contents };
  if (systemParts.length > 0) value.systemInstruction = { parts: systemParts };
  return { value, warnings };
}

/** A message keeps its signatures unless its `model` names a different provider than the one called. */
function keepsSignatures(message: LLMMessage, provider: string): boolean {
  if (message.model == null) return true;
  const slash = message.model.indexOf('/');
  const origin = slash === -1 ? message.model : message.model.slice(0, slash);
  return origin.toLowerCase() === provider;
}

function convertContent(
  content: string | LLMContentPart[],
  keepSignatures: boolean,
  where: string,
  warnings: string[],
): GeminiPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const parts: GeminiPart[] = [];
  content.forEach((part, i) => {
    const converted = convertPart(part, `${where}.content[${i}]`, warnings);
    if (converted == null) return;
    const signature = 'thoughtSignature' in part ? part.thoughtSignature : undefined;
    if (keepSignatures && signature != null) converted.thoughtSignature = signature;
    // An empty text part exists only to carry its signature.
    if (converted.text === '' && converted.thoughtSignature == null) return;
    parts.push(converted);
  });
  return parts;
}

function convertPart(part: LLMContentPart, where: string, warnings: string[]): GeminiPart | undefined {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'thought':
      return { text: part.text, thought: true };
    case 'executable_code':
      return {
        executableCode: {
          language: part.language,
          code: part.code,
          ...(part.id != null ? { id: part.id } : {}),
        },
      };
    case 'code_execution_result':
      return {
        codeExecutionResult: {
          outcome: part.outcome,
          output: part.output,
          ...(part.id != null ? { id: part.id } : {}),
        },
      };
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return mediaPart(part, where, warnings);
    case 'provider_data': // another provider's opaque block (Anthropic server tools): never sent here
      return undefined;
    default: {
      const unreachable: never = part;
      throw new LLMError('INVALID_PARAMETER', `${where}.type: unknown part type ${String(unreachable)}`);
    }
  }
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s;

/** Inline bytes → `inlineData`; a remote URL (http(s), `gs://`, a Files API URI) → `fileData` (never fetched). */
function mediaPart(part: MediaPart, where: string, warnings: string[]): GeminiPart {
  const dataUrl = part.url?.startsWith('data:')
    ? part.url
    : part.data?.startsWith('data:')
      ? part.data
      : null;
  if (dataUrl != null) {
    const match = DATA_URL.exec(dataUrl);
    if (match == null) throw new LLMError('INVALID_PARAMETER', `${where}: malformed data URL`);
    const payload = match[4] ?? '';
    const data = match[3] != null ? payload : Buffer.from(decodeURIComponent(payload)).toString('base64');
    const mimeType =
      part.mimeType ?? (match[1] || undefined) ?? sniffMimeType(data, part.type, where, warnings);
    return { inlineData: { mimeType, data } };
  }
  if (part.data != null) {
    const mimeType = part.mimeType ?? sniffMimeType(part.data, part.type, where, warnings);
    return { inlineData: { mimeType, data: part.data } };
  }
  if (part.url != null) {
    const mimeType = part.mimeType ?? mimeTypeFromUrl(part.url);
    return { fileData: { ...(mimeType != null ? { mimeType } : {}), fileUri: part.url } };
  }
  throw new LLMError('INVALID_PARAMETER', `${where}: a ${part.type} part needs data or url`);
}

/** Magic numbers of common media, read from the base64 prefix (no full decode). */
const BASE64_SIGNATURES: [string, string][] = [
  ['iVBORw0KGgo', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['R0lGOD', 'image/gif'],
  ['JVBERi0', 'application/pdf'],
  ['SUQz', 'audio/mpeg'],
  ['//s', 'audio/mpeg'],
  ['//u', 'audio/mpeg'],
  ['T2dnUw', 'audio/ogg'],
  ['ZkxhQw', 'audio/flac'],
  ['GkXfo', 'video/webm'],
];

function sniffMimeType(data: string, kind: MediaPart['type'], where: string, warnings: string[]): string {
  for (const [prefix, mimeType] of BASE64_SIGNATURES) if (data.startsWith(prefix)) return mimeType;
  if (data.startsWith('UklGR')) {
    const head = Buffer.from(data.slice(0, 16), 'base64').toString('latin1');
    if (head.slice(8, 12) === 'WEBP') return 'image/webp';
    if (head.slice(8, 12) === 'WAVE') return 'audio/wav';
  }
  if (data.length > 16) {
    const head = Buffer.from(data.slice(0, 16), 'base64').toString('latin1');
    if (head.slice(4, 8) === 'ftyp') return kind === 'audio' ? 'audio/mp4' : 'video/mp4';
  }
  warnings.push(`${where}: unknown media type; sent as application/octet-stream (set mimeType)`);
  return 'application/octet-stream';
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

function mimeTypeFromUrl(url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const dot = path.lastIndexOf('.');
  return dot === -1 ? undefined : EXTENSION_TYPES[path.slice(dot + 1).toLowerCase()];
}

function functionResponsePart(
  message: LLMMessage,
  callNames: Map<string, string>,
  where: string,
  warnings: string[],
): GeminiPart {
  const name = message.name ?? (message.toolCallId != null ? callNames.get(message.toolCallId) : undefined);
  if (name == null) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `${where}.name: a tool message needs the tool name (or a toolCallId of an earlier call)`,
    );
  }
  let text: string;
  if (typeof message.content === 'string') {
    text = message.content;
  } else {
    const texts: string[] = [];
    for (const part of message.content) {
      if (part.type === 'text') texts.push(part.text);
      else warnings.push(`${where}: Gemini tool results carry text only; a ${part.type} part was dropped`);
    }
    text = texts.join('');
  }
  return {
    functionResponse: {
      name,
      response: toolResponse(text),
      ...(message.toolCallId != null ? { id: message.toolCallId } : {}),
    },
  };
}

/** A JSON object is the response itself; other JSON → `{ result: value }`; plain text → `{ result: text }`. */
function toolResponse(text: string): Record<string, unknown> {
  const parsed = safeParseJson(text);
  if (!parsed.ok) return { result: text };
  const value = parsed.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  return { result: value };
}

function appendContextUrls(contents: GeminiContent[], urls: string[]): void {
  const part: GeminiPart = { text: `\n\n[Context URLs]:\n${urls.join('\n')}` };
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i] as GeminiContent;
    if (content.role === 'user' && content.parts.some((p) => p.functionResponse == null)) {
      content.parts.push(part);
      return;
    }
  }
  contents.push({ role: 'user', parts: [{ text: urls.join('\n') }] });
}
