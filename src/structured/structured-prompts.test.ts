import { describe, expect, it } from 'vitest';
import { formatPath, renderIssues } from './format-issues.js';
import { DEFAULT_ERROR_PROMPTS, renderErrorPrompt } from './structured-prompts.js';

describe('renderErrorPrompt', () => {
  it('replaces {error} and {error_msg}, leaving other braces and $ patterns alone', () => {
    const out = renderErrorPrompt(
      'A {error} B {error_msg} C {"x": {}} {errors} {0}',
      "- a: $& and $1 and {'b'}",
    );
    expect(out).toBe("A - a: $& and $1 and {'b'} B - a: $& and $1 and {'b'} C {\"x\": {}} {errors} {0}");
  });

  it('appends the error to a template without placeholder', () => {
    expect(renderErrorPrompt('Please fix your JSON.', '- a: bad')).toBe('Please fix your JSON.\n\n- a: bad');
  });

  it('built-in templates carry the placeholder', () => {
    expect(DEFAULT_ERROR_PROMPTS.en).toContain('{error}');
    expect(DEFAULT_ERROR_PROMPTS.zh).toContain('{error}');
  });
});

describe('issue formatting', () => {
  it.each([
    [[], ''],
    [['items', 0, 'qty'], 'items[0].qty'],
    [[0, 'a'], '[0].a'],
    [['meta', 'content-type'], 'meta["content-type"]'],
    [['$ok', '_x1'], '$ok._x1'],
  ])('formatPath(%j) → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });

  it('renders one issue per line, the root as (root), at most 20', () => {
    const issues = Array.from({ length: 22 }, (_, i) => ({ path: i === 0 ? '' : `a[${i}]`, message: 'bad' }));
    const lines = renderIssues(issues).split('\n');
    expect(lines[0]).toBe('- (root): bad');
    expect(lines[1]).toBe('- a[1]: bad');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('- … and 2 more');
  });
});
