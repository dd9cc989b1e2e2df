import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { harness } from '../pipeline/test-support/harness.js';
import { scriptedTransport, testRequest } from '../pipeline/test-support/scripted-transport.js';
import { hashKey, keyIdOf, keyIdsOf } from '../util/key-id.js';
import { FileKeyStore } from './file-key-store.js';
import { createKeyPool } from './key-pool.js';
import { ManualClock } from './test-support/manual-clock.js';

// Two keys with the same first and last four characters (issue 13, item 9), and one that differs.
const TWINS = ['tst1-collide-alpha-zq7w', 'tst1-collide-bravo-zq7w'];
const OTHER = 'tst2-distinct-charlie-hb6t';
// Short keys whose SHA-256 share the first 6 hex digits (5253c7…), found by search.
const HASH_TWINS = ['test-key-7592', 'test-key-7606'];
const M = 'test-model';

function errorOf(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('key ids', () => {
  it('masked for long keys, key# + 6 hex digits of the SHA-256 for short ones', () => {
    expect(keyIdOf(OTHER)).toBe('tst2…hb6t');
    expect(keyIdOf('test-key-0001')).toBe(`key#${hashKey('test-key-0001').slice(0, 6)}`);
  });

  it('keys sharing a masked id both use the key# form; the others keep theirs', () => {
    expect(TWINS.map(keyIdOf)).toEqual(['tst1…zq7w', 'tst1…zq7w']);
    const ids = keyIdsOf([...TWINS, OTHER]);
    expect(ids).toEqual([
      `key#${hashKey(TWINS[0]!).slice(0, 6)}`,
      `key#${hashKey(TWINS[1]!).slice(0, 6)}`,
      'tst2…hb6t',
    ]);
    expect(new Set(ids).size).toBe(3);
    // A repeated key keeps one id (it is one key).
    expect(keyIdsOf([OTHER, OTHER])).toEqual(['tst2…hb6t', 'tst2…hb6t']);
  });

  it('key# forms sharing their first 6 hex digits get more digits', () => {
    expect(HASH_TWINS.map(keyIdOf)).toEqual(['key#5253c7', 'key#5253c7']);
    expect(keyIdsOf([...HASH_TWINS, 'test-key-0001'])).toEqual([
      'key#5253c77',
      'key#5253c7a',
      keyIdOf('test-key-0001'),
    ]);
  });
});

describe('key ids in the pool', () => {
  it('stats show unique ids; keys.reset resolves them, `...` for `…`, and names the valid ids when it cannot', () => {
    const clock = new ManualClock();
    const pool = createKeyPool({ provider: 'Gemini', keys: [...TWINS, OTHER], clock });
    const ids = pool.stats().map((s) => s.keyId);
    expect(new Set(ids).size).toBe(3);
    for (const key of [...TWINS, OTHER]) pool.report(key, M, { kind: 'failure', code: 'API_KEY_INVALID' });

    // The old shared id is ambiguous: refused, naming both matching ids and every valid one.
    const ambiguous = errorOf(() => pool.reset('tst1...zq7w'));
    expect(ambiguous.code).toBe('INVALID_PARAMETER');
    expect(ambiguous.message).toContain('"tst1…zq7w" is ambiguous');
    expect(ambiguous.message).toContain(`${ids[0]}, ${ids[1]}`);
    expect(ambiguous.details).toMatchObject({ validIds: ids });
    const unknown = errorOf(() => pool.reset('nope…0000'));
    expect(unknown.message).toBe(`No key "nope…0000" in provider Gemini (keys: ${ids.join(', ')})`);
    expect(pool.stats().map((s) => s.status)).toEqual(['disabled', 'disabled', 'disabled']);

    // Three dots for the ellipsis; a key# id; the key itself.
    expect(pool.reset('tst2...hb6t')).toBe(1);
    expect(pool.reset(ids[1]!)).toBe(1);
    expect(pool.stats().map((s) => s.status)).toEqual(['disabled', 'error', 'error']);
    expect(pool.reset(TWINS[0]!)).toBe(1);
    expect(pool.stats()[0]!.status).toBe('error');
  });

  it('a key# prefix names a key when unique, and is ambiguous when not', () => {
    const pool = createKeyPool({ provider: 'P', keys: HASH_TWINS, clock: new ManualClock() });
    expect(errorOf(() => pool.reset('key#5253c7')).message).toContain('key#5253c77, key#5253c7a');
    expect(pool.reset('key#5253c7a')).toBe(1);
  });

  it('a rejected key excludes only itself: the retry moves to its twin', async () => {
    const clock = new ManualClock(1_000_000, true);
    const transport = scriptedTransport((_r, key) =>
      key === TWINS[0] ? new LLMError('API_KEY_INVALID', 'bad key', { status: 401 }) : {},
    );
    const { pipeline, pool } = harness({ keys: TWINS, transport, clock });
    const response = await pipeline(testRequest());
    expect(response.attempts.map((a) => a.keyId)).toEqual(pool.stats().map((s) => s.keyId));
    expect(transport.sent.map((s) => s.key)).toEqual(TWINS);
  });

  it('state stored by hash loads after the ids change', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-keyid-')), 'keys.json');
    const clock = new ManualClock();
    const first = new FileKeyStore({ path, flushIntervalMs: 0 });
    const before = createKeyPool({ provider: 'P', keys: [TWINS[0]!], clock, store: first });
    expect(before.stats()[0]!.keyId).toBe('tst1…zq7w');
    before.report(TWINS[0]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    await first.close();
    // The twin is added to the configuration: the first key's id changes, its state does not.
    const second = new FileKeyStore({ path, flushIntervalMs: 0 });
    const after = createKeyPool({ provider: 'P', keys: TWINS, clock, store: second });
    expect(after.stats().map((s) => [s.keyId, s.status])).toEqual([
      [`key#${hashKey(TWINS[0]!).slice(0, 6)}`, 'disabled'],
      [`key#${hashKey(TWINS[1]!).slice(0, 6)}`, 'unused'],
    ]);
    await second.close();
  });
});
