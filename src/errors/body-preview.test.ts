import { describe, expect, it } from 'vitest';
import { registerSecrets } from '../logging/secrets.js';
import { bodyPreview } from './body-preview.js';

const secret = 'test-key-straddle-0123456789abcdef';

/** Every substring of `secret` of 8+ characters that occurs in `text`. */
function secretPieces(text: string, key: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + 8 <= key.length; start++) {
    const piece = key.slice(start, start + 8);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}

describe('bodyPreview', () => {
  registerSecrets([secret]);

  it('redacts a key that straddles the cut before cutting', () => {
    for (const offset of [1, 8, 12, 20, 30]) {
      const text = `${'x'.repeat(200 - offset)}${secret} and more`;
      const preview = bodyPreview(text, 200);
      expect(preview.length).toBeLessThanOrEqual(200);
      expect(secretPieces(preview, secret)).toEqual([]);
    }
  });

  it('keeps short text whole and cuts long text', () => {
    expect(bodyPreview('<html>bad gateway</html>', 200)).toBe('<html>bad gateway</html>');
    expect(bodyPreview('y'.repeat(10_000), 200)).toBe('y'.repeat(200));
  });
});
