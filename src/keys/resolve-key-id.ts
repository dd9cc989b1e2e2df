import { LLMError } from '../errors/llm-error.js';
import { hashKey, keyIdOf } from '../util/key-id.js';

/** A key a user may name: its id (unique within the provider) and, when the caller has it, the key. */
export interface KeyIdCandidate {
  keyId: string;
  key?: string;
}

const HASH_ID = /^key#[0-9a-f]{6,64}$/;

/** What a user typed, as an id: trimmed, `...` (three dots) read as `…`. */
export function normalizeKeyIdInput(input: string): string {
  return input.trim().replaceAll('...', '…');
}

/** The input, safe and short enough to echo in an error (registered keys are redacted by `LLMError`). */
function echo(input: string): string {
  return input.length > 64 ? `${input.slice(0, 61)}…` : input;
}

/**
 * The index of the candidate `input` names in `llm.keys.reset` / `switchboard keys reset`: its id (`...`
 * accepted for `…`), the key itself, a masked `sk-a…wxyz` form of a key shown under a `key#` id because
 * another key shares it, or a `key#` prefix of 6+ hex digits. More than one match, or none, is an
 * `INVALID_PARAMETER` naming the valid ids.
 */
export function resolveKeyId(provider: string, input: string, candidates: readonly KeyIdCandidate[]): number {
  const wanted = normalizeKeyIdInput(input);
  const valid = candidates.map((candidate) => candidate.keyId);
  const exact = candidates.findIndex(
    (candidate) => candidate.keyId === wanted || (candidate.key != null && candidate.key === input),
  );
  if (exact >= 0) return exact;
  const matches: number[] = [];
  candidates.forEach((candidate, index) => {
    if (candidate.key != null && keyIdOf(candidate.key) === wanted) matches.push(index);
    else if (HASH_ID.test(wanted) && candidate.keyId.startsWith('key#')) {
      const hex = candidate.key != null ? hashKey(candidate.key) : candidate.keyId.slice(4);
      if (hex.startsWith(wanted.slice(4))) matches.push(index);
    }
  });
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const named = matches.map((index) => valid[index]).join(', ');
    throw new LLMError(
      'INVALID_PARAMETER',
      `Key id "${echo(wanted)}" is ambiguous in provider ${provider}: it matches ${named}; use one of those ids`,
      {
        provider,
        details: { keyId: echo(wanted), matches: matches.map((index) => valid[index]), validIds: valid },
      },
    );
  }
  throw new LLMError(
    'INVALID_PARAMETER',
    `No key "${echo(wanted)}" in provider ${provider} (keys: ${valid.join(', ')})`,
    { provider, details: { keyId: echo(wanted), validIds: valid } },
  );
}
