/**
 * Compiles a glob into an anchored, case-insensitive RegExp: `*` is any run of characters except `/`,
 * `?` one character except `/`; everything else matches literally. (`*` stops at `/` so that
 * `deepseek*` does not swallow `deepseek/deepseek-r1`; the registry tries every `/`-suffix instead.)
 *
 * @example globToRegExp('gemini-*-tts').test('Gemini-2.5-Flash-Preview-TTS') // true
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}
