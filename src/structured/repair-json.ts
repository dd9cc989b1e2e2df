import { jsonrepair } from '../util/jsonrepair.js';
import { safeParseJson } from '../util/safe-json.js';

/** A model answer read as JSON: the value and whether local repair was needed, or why it failed. */
export type JsonAnswer = { ok: true; value: unknown; repaired: boolean } | { ok: false; message: string };

/** Start positions tried for "the first balanced JSON value" in prose. */
const MAX_CANDIDATES = 8;
const FENCE = /```[\w+-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/;

/**
 * Reads a model answer as JSON without spending a request: strict `JSON.parse` first, then the content of
 * the first code fence, then the first balanced top-level `{…}`/`[…]` value in the text (prose around it
 * ignored), each repaired with `jsonrepair` when needed (trailing commas, single quotes, comments, missing
 * quotes, truncated output closed).
 *
 * @example parseJsonAnswer('Here it is:\n```json\n{"a": 1,}\n```') // → { ok: true, value: { a: 1 }, repaired: true }
 */
export function parseJsonAnswer(text: string): JsonAnswer {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'The answer is empty; expected JSON.' };
  const direct = safeParseJson(trimmed);
  if (direct.ok) return { ok: true, value: direct.value, repaired: false };

  const fence = FENCE.exec(trimmed)?.[1]?.trim();
  const bodies = fence != null && fence !== '' && fence !== trimmed ? [fence, trimmed] : [trimmed];
  for (const body of bodies) {
    for (const candidate of jsonCandidates(body)) {
      const parsed = parseOrRepair(candidate);
      if (parsed !== NOT_JSON) return { ok: true, value: parsed, repaired: true };
    }
  }
  // No bracketed value: a bare JSON primitive, possibly malformed ('abc → "abc").
  const body = bodies[0] ?? trimmed;
  if (/^["'\d-]|^(?:true|false|null)\b/.test(body)) {
    const parsed = parseOrRepair(body);
    if (parsed !== NOT_JSON) return { ok: true, value: parsed, repaired: true };
  }
  return { ok: false, message: `The answer is not valid JSON (${direct.error.message}).` };
}

const NOT_JSON = Symbol('not json');

function parseOrRepair(candidate: string): unknown {
  const parsed = safeParseJson(candidate);
  if (parsed.ok) return parsed.value;
  let repaired: string;
  try {
    repaired = jsonrepair(candidate);
  } catch {
    return NOT_JSON;
  }
  const reparsed = safeParseJson(repaired);
  return reparsed.ok ? reparsed.value : NOT_JSON;
}

/**
 * Substrings of `text` that may hold its JSON value: from each `{` or `[` (the first few) to its balanced
 * end, or to the end of the text when it never closes (truncated output; later starts are inside it).
 */
export function* jsonCandidates(text: string): Generator<string> {
  let from = 0;
  for (let tried = 0; tried < MAX_CANDIDATES; tried++) {
    const start = nextOpening(text, from);
    if (start === -1) return;
    const end = balancedEnd(text, start);
    if (end === -1) {
      yield text.slice(start);
      return;
    }
    yield text.slice(start, end + 1);
    from = start + 1;
  }
}

function nextOpening(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) return i;
  }
  return -1;
}

/** Index of the bracket closing the one at `start` (strings and escapes skipped), or −1. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
