import { describe, expect, it } from 'vitest';
import { createColors, stripAnsi } from './colors.js';
import { renderTable } from './table.js';
import { textWidth, truncateText } from './text-width.js';

describe('renderTable', () => {
  it('aligns columns by the widest cell, right-aligns numbers and trims line ends', () => {
    const text = renderTable(
      [{ header: 'NAME' }, { header: 'CALLS', align: 'right' }, { header: 'NOTE' }],
      [
        ['alpha', '3', 'ok'],
        ['b', '1200', ''],
      ],
    );
    expect(text).toBe(`${['NAME   CALLS  NOTE', 'alpha      3  ok', 'b       1200'].join('\n')}\n`);
  });

  it('keeps alignment with colours and wide characters, and truncates to maxWidth with …', () => {
    const colors = createColors(true);
    const text = renderTable(
      [{ header: 'K' }, { header: 'MSG', maxWidth: 8 }, { header: 'END' }],
      [
        [{ text: 'red', style: colors.red }, '密钥无效，请联系', 'x'],
        ['plain', 'short', 'y'],
      ],
      { indent: '  ' },
    );
    const lines = stripAnsi(text).trimEnd().split('\n');
    expect(lines).toEqual(['  K      MSG      END', '  red    密钥无…  x', '  plain  short    y']);
    expect(text).toContain('\x1b[31mred\x1b[39m');
  });
});

describe('text width', () => {
  it('counts CJK as two columns and cuts on column boundaries', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('密钥')).toBe(4);
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('密钥无效', 5)).toBe('密钥…');
    expect(truncateText('abc', 3)).toBe('abc');
  });
});
