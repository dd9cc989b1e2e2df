import type { ConfigIssue } from '../spec/index.js';
import { isRecord } from '../util/safe-json.js';

/** Lower-case letters, digits, `_` and `-`, starting with a letter; at most 64 characters. */
export const API_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FUNCTIONS = ['resolveApiType', 'capabilities', 'chat', 'embedding', 'image', 'classifyError'] as const;
const DIALECTS = ['chat', 'embedding', 'image'] as const;
const KNOWN_KEYS = new Set([
  'apiType',
  'defaultApiBase',
  'auth',
  'headers',
  'resolveApiType',
  'capabilities',
  'imageOnly',
  'chat',
  'embedding',
  'image',
  'structuredOutput',
  'classifyError',
  'promptCaching',
  'mediaUrls',
  'genAiProviderName',
]);
const MEDIA_KINDS = new Set(['image', 'audio', 'video', 'file']);

/** Every problem of a `ProviderDefinition`, by path (`auth.name`); empty when it is usable. */
export function checkProviderDefinition(definition: unknown): ConfigIssue[] {
  if (!isRecord(definition)) return [{ path: '', message: 'must be an object { apiType, … }' }];
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const apiType = definition.apiType;
  if (typeof apiType !== 'string') add('apiType', 'required: a string such as "my_provider"');
  else if (!API_TYPE_PATTERN.test(apiType)) {
    add(
      'apiType',
      `must be lower-case letters, digits, _ or -, starting with a letter (got ${JSON.stringify(apiType)})`,
    );
  }
  for (const key of Object.keys(definition)) if (!KNOWN_KEYS.has(key)) add(key, 'unknown field');
  if (definition.defaultApiBase !== undefined && !isHttpUrl(definition.defaultApiBase)) {
    add('defaultApiBase', 'must be an absolute http(s) URL');
  }
  checkAuth(definition.auth, add);
  if (definition.headers !== undefined) {
    if (!isRecord(definition.headers)) add('headers', 'must be an object of header names to strings');
    else {
      for (const [name, value] of Object.entries(definition.headers)) {
        if (!HEADER_NAME.test(name)) add(`headers.${name}`, 'not a valid header name');
        else if (typeof value !== 'string') add(`headers.${name}`, 'must be a string');
      }
    }
  }
  for (const key of FUNCTIONS) {
    if (definition[key] !== undefined && typeof definition[key] !== 'function')
      add(key, 'must be a function');
  }
  for (const key of ['imageOnly', 'promptCaching'] as const) {
    if (definition[key] !== undefined && typeof definition[key] !== 'boolean') add(key, 'must be a boolean');
  }
  if (
    definition.genAiProviderName !== undefined &&
    (typeof definition.genAiProviderName !== 'string' || definition.genAiProviderName.trim() === '')
  ) {
    add('genAiProviderName', 'must be a non-empty string (e.g. "openai")');
  }
  checkStructuredOutput(definition.structuredOutput, add);
  checkMediaUrls(definition.mediaUrls, add);

  const dialects = DIALECTS.filter((key) => definition[key] !== undefined);
  if (definition.resolveApiType !== undefined) {
    for (const key of [...dialects, 'structuredOutput', 'classifyError'] as const) {
      if (definition[key] !== undefined) add(key, 'a router (resolveApiType) has no dialects of its own');
    }
  } else if (dialects.length === 0) {
    add('', 'declares no dialect: give chat, embedding or image (or resolveApiType for a router)');
  }
  return issues;
}

function checkAuth(auth: unknown, add: (path: string, message: string) => void): void {
  if (auth === undefined) return;
  if (!isRecord(auth)) {
    add('auth', "must be { scheme: 'bearer' } or { scheme: 'header', name }");
    return;
  }
  if (auth.scheme === 'bearer') return;
  if (auth.scheme !== 'header') {
    add('auth.scheme', "must be 'bearer' or 'header'");
    return;
  }
  if (typeof auth.name !== 'string' || !HEADER_NAME.test(auth.name)) {
    add('auth.name', 'must be a header name such as x-api-key');
  }
}

function checkMediaUrls(value: unknown, add: (path: string, message: string) => void): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    add('mediaUrls', 'must be an object { image?, audio?, video?, file? } of booleans');
    return;
  }
  for (const [key, taken] of Object.entries(value)) {
    if (!MEDIA_KINDS.has(key)) add(`mediaUrls.${key}`, 'unknown media kind (image, audio, video, file)');
    else if (typeof taken !== 'boolean') add(`mediaUrls.${key}`, 'must be a boolean');
  }
}

function checkStructuredOutput(value: unknown, add: (path: string, message: string) => void): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    add('structuredOutput', 'must be an object { native?, jsonMode?, fallback? }');
    return;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'native' && key !== 'jsonMode' && key !== 'fallback')
      add(`structuredOutput.${key}`, 'unknown field');
  }
  if (value.native !== undefined && typeof value.native !== 'function') {
    add('structuredOutput.native', 'must be a function');
  }
  if (value.jsonMode !== undefined && typeof value.jsonMode !== 'boolean') {
    add('structuredOutput.jsonMode', 'must be a boolean');
  }
  if (value.fallback !== undefined && value.fallback !== 'tool_call' && value.fallback !== 'prompt') {
    add('structuredOutput.fallback', "must be 'tool_call' or 'prompt'");
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}
