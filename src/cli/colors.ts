/** ANSI styles for one output stream; every function is the identity when colours are off. */
export interface Colors {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** A stream as far as colour decisions go. */
export interface ColorTarget {
  isTTY?: boolean;
}

/**
 * Whether to colour `stream`: never when `NO_COLOR` is set (non-empty, https://no-color.org), always when
 * `FORCE_COLOR` is set to anything but `0`, else only on a TTY whose `TERM` is not `dumb`.
 */
export function colorEnabled(stream: ColorTarget, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR != null && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR != null && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const style = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/** The styles for a stream, on or off. */
export function createColors(enabled: boolean): Colors {
  if (!enabled) {
    return { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  }
  return {
    enabled,
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
  };
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** `text` without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
