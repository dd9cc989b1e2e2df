import { describe, expect, it } from 'vitest';
import { keyIdsOf } from '../util/key-id.js';
import { redactDeep, redactSecrets, registerSecrets } from './secrets.js';

// Assembled at run time so no key-shaped literal sits in the source.
const sk = ['sk', 'FAKEtestONLYabcdefghijkl'].join('-');
const groq = ['gsk', 'FAKEtestONLYabcdefghijklmnop'].join('_');
const google = `AIza${'FAKEtestONLYabcdefghijklmn'}`;

describe('redactSecrets', () => {
  it('replaces registered secrets by their key id, longest first', () => {
    registerSecrets(['test-key-secrets-1', 'test-key-secrets-1-longer', 'abc']);
    expect(redactSecrets('a test-key-secrets-1-longer b test-key-secrets-1')).toBe('a test…nger b test…ts-1');
    expect(redactSecrets('abc stays')).toBe('abc stays');
  });

  it('gives keys of one group the ids of the key pool: twins of first and last 4 both get key# ids', () => {
    const twins = ['test-key-redact-twin-one-zz99', 'test-key-redact-twin-two-zz99'];
    registerSecrets(twins);
    const ids = keyIdsOf(twins);
    expect(ids[0]).toMatch(/^key#[0-9a-f]{6,}$/);
    expect(redactSecrets(`first ${twins[0]} second ${twins[1]}`)).toBe(`first ${ids[0]} second ${ids[1]}`);
  });

  it('masks bearer tokens, key= parameters, URL passwords and header-like text', () => {
    expect(redactSecrets('Authorization: Bearer abcdefgh123')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactSecrets('GET /v1/models?key=xyz123&alt=sse')).toBe('GET /v1/models?key=[REDACTED]&alt=sse');
    expect(redactSecrets('proxy https://bob:s3cret!@proxy.test:8080/')).toBe(
      'proxy https://bob:[REDACTED]@proxy.test:8080/',
    );
    expect(redactSecrets('https://host.test:8080/path@v1')).toBe('https://host.test:8080/path@v1');
    expect(redactSecrets('{"api_key": "abcdef123456"}')).toBe('{"api_key": "[REDACTED]"}');
    expect(redactSecrets('x-goog-api-key: abcdefghi')).toBe('x-goog-api-key: [REDACTED]');
  });

  it('masks key shapes keeping first and last 4', () => {
    expect(redactSecrets(`key ${sk} here`)).toBe('key sk-F…ijkl here');
    expect(redactSecrets(groq)).toBe('gsk_…mnop');
    expect(redactSecrets(`"${google}"`)).toBe('"AIza…klmn"');
  });
});

describe('redactDeep', () => {
  it('copies with every string and key redacted', () => {
    const input = { message: `bad ${sk}`, list: [`Bearer ${sk}`], [sk]: 1, n: 2, bytes: new Uint8Array(4) };
    expect(redactDeep(input)).toEqual({
      message: 'bad sk-F…ijkl',
      list: ['Bearer [REDACTED]'],
      'sk-F…ijkl': 1,
      n: 2,
      bytes: '[4 bytes]',
    });
  });

  it('is cycle-safe and never returns a deep value unredacted', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactDeep(cyclic)).toEqual({ a: 1, self: '[circular]' });
    let deep: unknown = { key: sk };
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(JSON.stringify(redactDeep(deep))).not.toContain(sk);
  });
});
