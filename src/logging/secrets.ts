import { keyIdsOf } from '../util/key-id.js';

// Every configured key of every client in this process. Redaction by value catches keys echoed back
// inside provider error messages ("Incorrect API key provided: …"), URLs and bodies.
const knownSecrets = new Map<string, string>();
let longestFirst: [string, string][] = [];

/**
 * Registers secrets (API keys, client tokens) so that `redactSecrets` replaces them with their key id. One
 * call is one group (one provider's keys): ids are unique within it as in the key pool (`keyIdsOf`), so logs
 * show the ids `switchboard keys` shows. A secret keeps the id of the group that registered it first.
 */
export function registerSecrets(secrets: Iterable<string>): void {
  const group = [...secrets].filter((secret): secret is string => typeof secret === 'string');
  const ids = keyIdsOf(group);
  let changed = false;
  for (const [index, secret] of group.entries()) {
    // Very short values would redact ordinary words; they are still masked by the patterns below.
    if (secret.length < 6 || knownSecrets.has(secret)) continue;
    knownSecrets.set(secret, ids[index]!);
    changed = true;
  }
  if (changed) longestFirst = [...knownSecrets].sort((a, b) => b[0].length - a[0].length);
}

const REDACTED = '[REDACTED]';
const keepEnds = (m: string) => `${m.slice(0, 4)}…${m.slice(-4)}`;

const patterns: [RegExp, (match: string, ...groups: string[]) => string][] = [
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  // key=… in URLs (Gemini) and api_key=… / access_token=…
  [
    /([?&](?:key|api_key|apikey|api-key|access_token|token|sig|signature)=)[^&#\s"']+/gi,
    (_m, prefix) => `${prefix}${REDACTED}`,
  ],
  // Passwords in URLs (proxies): scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/gi, (_m, prefix) => `${prefix}${REDACTED}@`],
  // Header- or JSON-like "x-goog-api-key: …", "api_key": "…", "Authorization=…" inside text
  [
    /\b((?:x-goog-api-key|x-api-key|api[-_]?key|authorization|cookie)["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic)\s|\[REDACTED\])[^\s"',;}]{6,}/gi,
    (_m, prefix) => `${prefix}${REDACTED}`,
  ],
  // Well-known key shapes: OpenAI-style sk-… (also sk-proj-, sk-or-, sk-ant-), Google AIza… and ya29.…,
  // Groq gsk_…, xAI xai-…
  [/\bsk-[A-Za-z0-9_-]{12,}/g, keepEnds],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, keepEnds],
  [/\bya29\.[0-9A-Za-z_-]{20,}/g, keepEnds],
  [/\b(?:gsk_|xai-)[A-Za-z0-9_-]{20,}/g, keepEnds],
];

/** Replaces every registered secret and every key-shaped token in `text`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [secret, id] of longestFirst) {
    if (out.includes(secret)) out = out.split(secret).join(id);
  }
  for (const [pattern, replace] of patterns) {
    out = out.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
}

const MAX_DEPTH = 12;

/**
 * Deep copy of a JSON-like value with every string (and object key) passed through `redactSecrets`.
 * Cycle-safe; values nested deeper than 12 levels become `"[depth limit]"` (never copied unredacted).
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  return redactValue(value, depth, new WeakSet());
}

function redactValue(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value == null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (depth > MAX_DEPTH) return '[depth limit]';
  if (ancestors.has(value)) return '[circular]';
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item) => redactValue(item, depth + 1, ancestors));
  else if (value instanceof Date) out = value;
  else if (value instanceof Error) {
    out = { name: value.name, message: redactSecrets(value.message) };
  } else {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[redactSecrets(key)] = redactValue(item, depth + 1, ancestors);
    }
    out = copy;
  }
  ancestors.delete(value);
  return out;
}
