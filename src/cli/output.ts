import { once } from 'node:events';
import { redactSecrets } from '../logging/secrets.js';
import type { CliIo, OutStream } from './cli-io.js';
import { type Colors, colorEnabled, createColors } from './colors.js';

/**
 * All CLI output. Every string passes `redactSecrets` on its way out (the last line of defence: configured
 * keys are registered when the config is resolved), and colours are decided per stream.
 */
export class Output {
  /** Styles for stdout. */
  readonly colors: Colors;
  /** Styles for stderr. */
  readonly errColors: Colors;

  constructor(private readonly io: CliIo) {
    this.colors = createColors(colorEnabled(io.stdout, io.env));
    this.errColors = createColors(colorEnabled(io.stderr, io.env));
  }

  get stdoutIsTTY(): boolean {
    return this.io.stdout.isTTY === true;
  }

  get stderrIsTTY(): boolean {
    return this.io.stderr.isTTY === true;
  }

  /** Writes to stdout as is (no newline added). */
  write(text: string): void {
    this.io.stdout.write(redactSecrets(text));
  }

  /** Writes a line to stdout. */
  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** Writes to stderr as is. */
  writeErr(text: string): void {
    this.io.stderr.write(redactSecrets(text));
  }

  /** Writes a line to stderr. */
  errLine(text = ''): void {
    this.writeErr(`${text}\n`);
  }

  /** Pretty JSON on stdout. */
  json(value: unknown): void {
    this.line(JSON.stringify(value, jsonReplacer, 2));
  }
}

/** JSON replacer: bytes become their length (`{ bytes: n }`), never raw data. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: value.byteLength };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Writes a chunk, waiting for `drain` when the stream's buffer is full. */
export async function writeWithBackpressure(stream: OutStream, text: string): Promise<void> {
  if (!stream.write(redactSecrets(text))) await once(stream, 'drain');
}
