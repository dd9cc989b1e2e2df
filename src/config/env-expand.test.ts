// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests write literal ${ENV} references
import { describe, expect, it } from 'vitest';
import { expandEnv } from './env-expand.js';

describe('expandEnv', () => {
  it('expands values only, at any depth, and leaves other types alone', () => {
    const input = { '${KEY}': '${A}', list: ['x-${A}-y', 3, true, null], nested: { deep: '${A}${A}' } };
    expect(expandEnv(input, { A: 'a', KEY: 'k' })).toEqual({
      value: { '${KEY}': 'a', list: ['x-a-y', 3, true, null], nested: { deep: 'aa' } },
      issues: [],
    });
  });

  it('uses the default when the variable is unset or empty, and an empty value when set empty', () => {
    const env = { EMPTY: '', SET: 'v' };
    const expand = (text: string) => expandEnv(text, env).value;
    expect(expand('${UNSET:-d}')).toBe('d');
    expect(expand('${EMPTY:-d}')).toBe('d');
    expect(expand('${SET:-d}')).toBe('v');
    expect(expand('${EMPTY}')).toBe('');
    expect(expand('${UNSET:-}')).toBe('');
    expect(expand('${UNSET:-http://h:1/x}')).toBe('http://h:1/x');
    expect(expand('${ SET }')).toBe('v');
  });

  it('keeps $${…} and unclosed references literal', () => {
    expect(expandEnv('$${A} ${A', { A: 'a' }).value).toBe('${A} ${A');
  });

  it('reports each missing variable with its path and leaves the reference in place', () => {
    const result = expandEnv({ providers: [{ apiKeys: ['${K1}', '${K2}'] }] }, {});
    expect(result.value).toEqual({ providers: [{ apiKeys: ['${K1}', '${K2}'] }] });
    expect(result.issues).toEqual([
      {
        path: 'providers[0].apiKeys[0]',
        message: 'environment variable K1 is not set (set it, or write ${K1:-default})',
      },
      {
        path: 'providers[0].apiKeys[1]',
        message: 'environment variable K2 is not set (set it, or write ${K2:-default})',
      },
    ]);
  });
});
