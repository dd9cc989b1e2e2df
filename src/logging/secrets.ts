import { keyIdOf } from '../keys/key-id.js';

// Every configured key of every client in this process. Redaction by value catches keys echoed back
// inside provider error messages ("Incorrect API key provided: …"), URLs and bodies.
const knownSecrets = new Map<string, string>();
let longestFirst: [string, string][] = [];

/** Registers secrets (API keys, client tokens) so that `redactSecrets` replaces them with their key id. */
export function registerSecrets(secrets: Iterable<string>): void {
  let changed = false;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; they are still masked by the patterns below.
    if (secret.length < 6 || knownSecrets.has(secret)) continue;
    knownSecrets.set(secret, keyIdOf(secret));
    changed = true;
  }
  if (changed) longestFirst = [...knownSecrets].sort((a, b) => b[0].length - a[0].length);
}

const patterns: [RegExp, (match: string, ...groups: string[]) => string][] = [
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme) => `${scheme} [REDACTED]`],
  // key=… in URLs (Gemini) and api_key=… / access_token=…
  [
    /([?&](?:key|api_key|apikey|api-key|access_token|token)=)[^&#\s"']+/gi,
    (_m, prefix) => `${prefix}[REDACTED]`,
  ],
  // Header-like "x-goog-api-key: …", "api-key: …", "x-api-key: …" inside text
  [
    /\b((?:x-goog-api-key|x-api-key|api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]{6,}/gi,
    (_m, prefix) => `${prefix}[REDACTED]`,
  ],
  // Well-known key shapes: OpenAI-style sk-…, Google AIza…
  [/\bsk-[A-Za-z0-9_-]{12,}/g, (m) => `${m.slice(0, 4)}…${m.slice(-4)}`],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, (m) => `${m.slice(0, 4)}…${m.slice(-4)}`],
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

/** Deep copy of a JSON-like value with every string passed through `redactSecrets`. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value == null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, depth + 1);
  return out;
}
