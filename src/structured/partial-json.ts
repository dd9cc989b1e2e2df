import { setOwn } from '../schema/copy-plain.js';

/** An open container; `slot` is the key it sits under in its parent object. */
type Frame =
  | {
      kind: 'object';
      value: Record<string, unknown>;
      /** Key read, waiting for its value. */
      key: string | undefined;
      expect: 'key' | 'colon' | 'value' | 'comma';
      slot: string | undefined;
    }
  | { kind: 'array'; value: unknown[]; expect: 'value' | 'comma'; slot: string | undefined };

type Token = 'none' | 'string' | 'number' | 'literal';

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null };
const NUMBER_CHAR = /[0-9eE.+-]/;
const WHITESPACE = /\s/;

/**
 * Incremental, forgiving JSON reader for streamed answers. Text is pushed in pieces and every character is
 * read once; `snapshot()` gives the best value so far: open strings, arrays and objects closed, a key
 * without a value dropped, a number or `true`/`false`/`null` in progress completed, a partial escape
 * dropped. Leading prose or a code fence before the first `{`/`[` is skipped, and anything after the
 * top-level value is ignored.
 *
 * Cost: parsing is O(total length). A snapshot shallow-copies only the containers still open (completed
 * subtrees are shared, and never change again), so it never reparses the text.
 */
export class PartialJsonParser {
  /** Incremented whenever the snapshot would change; compare to skip identical partials. */
  version = 0;
  private phase: 'seek' | 'value' | 'done' = 'seek';
  private seenText = false;
  private readonly stack: Frame[] = [];
  private root: unknown;
  private hasRoot = false;
  private token: Token = 'none';
  private buffer = '';
  private stringIsKey = false;
  /** After a backslash in a string: the escape read so far (`''`, `'u00'`…). */
  private escape: string | undefined;

  /** True once the top-level value is complete. */
  get done(): boolean {
    return this.phase === 'done';
  }

  push(chunk: string): void {
    let i = 0;
    while (i < chunk.length && this.phase !== 'done') {
      if (this.token === 'string') {
        i = this.readString(chunk, i);
        continue;
      }
      this.step(chunk.charAt(i));
      i++;
    }
  }

  /**
   * The best value so far; `undefined` before any value started. Containers still open are fresh copies on
   * every call; completed values are shared between snapshots (the parser never touches them again).
   */
  snapshot(): unknown {
    const pending = this.pendingValue();
    const last = this.stack.length - 1;
    if (last < 0) return this.hasRoot ? this.root : pending.value;
    let child: unknown;
    for (let i = last; i >= 0; i--) {
      const frame = this.stack[i]!;
      if (frame.kind === 'array') {
        const copy = frame.value.slice();
        if (i < last) copy[copy.length - 1] = child;
        else if (pending.has) copy.push(pending.value);
        child = copy;
      } else {
        const copy = { ...frame.value };
        const slot = this.stack[i + 1]?.slot;
        if (i < last && slot !== undefined) setOwn(copy, slot, child);
        else if (pending.has && frame.key !== undefined) setOwn(copy, frame.key, pending.value);
        child = copy;
      }
    }
    return child;
  }

  private readString(chunk: string, start: number): number {
    let i = start;
    if (this.escape !== undefined) {
      this.escape += chunk.charAt(i);
      this.finishEscape();
      return i + 1;
    }
    while (i < chunk.length) {
      const c = chunk.charCodeAt(i);
      if (c === 0x22 || c === 0x5c) break;
      i++;
    }
    if (i > start) {
      this.buffer += chunk.slice(start, i);
      if (!this.stringIsKey) this.version++;
    }
    if (i < chunk.length) {
      if (chunk.charCodeAt(i) === 0x22) this.endString();
      else this.escape = '';
      i++;
    }
    return i;
  }

  private finishEscape(): void {
    const sequence = this.escape ?? '';
    const first = sequence.charAt(0);
    let decoded: string | undefined;
    if (first === 'u') {
      if (sequence.length < 5) return;
      const code = Number.parseInt(sequence.slice(1), 16);
      decoded = Number.isNaN(code) ? sequence : String.fromCharCode(code);
    } else {
      decoded = ESCAPES[first] ?? first;
    }
    this.escape = undefined;
    this.buffer += decoded;
    if (!this.stringIsKey) this.version++;
  }

  private step(c: string): void {
    if (this.token === 'number') {
      if (NUMBER_CHAR.test(c)) {
        this.buffer += c;
        this.version++;
        return;
      }
      this.finishNumber();
    } else if (this.token === 'literal') {
      if (c >= 'a' && c <= 'z') {
        this.buffer += c;
        if (Object.hasOwn(LITERALS, this.buffer)) this.finishLiteral();
        return;
      }
      this.finishLiteral();
    }
    if (this.phase === 'done' || WHITESPACE.test(c)) return;
    if (this.phase === 'seek') {
      this.seek(c);
      return;
    }
    this.structural(c);
  }

  /** Before the value: prose and fences are skipped up to the first `{`/`[`; a leading primitive is read. */
  private seek(c: string): void {
    const first = !this.seenText;
    this.seenText = true;
    if (c === '{' || c === '[' || (first && (c === '"' || c === '-' || (c >= '0' && c <= '9')))) {
      this.phase = 'value';
      this.structural(c);
    }
  }

  private structural(c: string): void {
    const top = this.stack[this.stack.length - 1];
    switch (c) {
      case '{':
      case '[':
        if (this.canTakeValue(top)) this.open(c === '{' ? 'object' : 'array');
        return;
      case '}':
      case ']':
        if (top == null) return;
        this.stack.pop();
        if (this.stack.length === 0) this.phase = 'done';
        return;
      case ',':
        if (top?.kind === 'object') {
          top.expect = 'key';
          top.key = undefined;
        } else if (top?.kind === 'array') {
          top.expect = 'value';
        }
        return;
      case ':':
        if (top?.kind === 'object' && top.expect === 'colon') top.expect = 'value';
        return;
      case '"':
        this.token = 'string';
        this.buffer = '';
        this.stringIsKey = top?.kind === 'object' && (top.expect === 'key' || top.expect === 'comma');
        if (!this.stringIsKey && !this.canTakeValue(top)) this.token = 'none';
        return;
      default:
        if (!this.canTakeValue(top)) return;
        if (c === '-' || (c >= '0' && c <= '9')) this.token = 'number';
        else if (c === 't' || c === 'f' || c === 'n') this.token = 'literal';
        else return;
        this.buffer = c;
        this.version++;
    }
  }

  private canTakeValue(top: Frame | undefined): boolean {
    if (top == null) return !this.hasRoot;
    return top.kind === 'array' || top.expect === 'value';
  }

  private open(kind: 'object' | 'array'): void {
    if (kind === 'object') {
      const value: Record<string, unknown> = {};
      this.stack.push({ kind, value, key: undefined, expect: 'key', slot: this.attach(value) });
    } else {
      const value: unknown[] = [];
      this.stack.push({ kind, value, expect: 'value', slot: this.attach(value) });
    }
  }

  /** Puts a value in its place (root, array end, or the pending key); returns the key it went under. */
  private attach(value: unknown): string | undefined {
    this.version++;
    const top = this.stack[this.stack.length - 1];
    if (top == null) {
      this.root = value;
      this.hasRoot = true;
      return undefined;
    }
    if (top.kind === 'array') {
      top.value.push(value);
      top.expect = 'comma';
      return undefined;
    }
    const key = top.key;
    if (key !== undefined) setOwn(top.value, key, value);
    top.key = undefined;
    top.expect = 'comma';
    return key;
  }

  private place(value: unknown): void {
    this.attach(value);
    if (this.stack.length === 0) this.phase = 'done';
  }

  /** A value that turned out invalid: its key (if any) is dropped. */
  private drop(): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'object') {
      top.key = undefined;
      top.expect = 'comma';
    } else if (top?.kind === 'array') {
      top.expect = 'comma';
    }
  }

  private endString(): void {
    this.token = 'none';
    const text = this.buffer;
    this.buffer = '';
    const top = this.stack[this.stack.length - 1];
    if (this.stringIsKey && top?.kind === 'object') {
      top.key = text;
      top.expect = 'colon';
    } else {
      this.place(text);
    }
  }

  private finishNumber(): void {
    this.token = 'none';
    const value = numberPrefix(this.buffer);
    this.buffer = '';
    if (value === undefined) this.drop();
    else this.place(value);
  }

  private finishLiteral(): void {
    this.token = 'none';
    const word = this.buffer;
    this.buffer = '';
    if (Object.hasOwn(LITERALS, word)) this.place(LITERALS[word]);
    else this.drop();
  }

  private pendingValue(): { has: boolean; value: unknown } {
    switch (this.token) {
      case 'string':
        return this.stringIsKey ? { has: false, value: undefined } : { has: true, value: this.buffer };
      case 'number': {
        const value = numberPrefix(this.buffer);
        return { has: value !== undefined, value };
      }
      case 'literal': {
        const word = Object.keys(LITERALS).find((literal) => literal.startsWith(this.buffer));
        return word === undefined ? { has: false, value: undefined } : { has: true, value: LITERALS[word] };
      }
      case 'none':
        return { has: false, value: undefined };
      default: {
        const unreachable: never = this.token;
        return unreachable;
      }
    }
  }
}

/** The number a (possibly unfinished) numeral reads as so far; `undefined` for `-`, `.`, or junk. */
function numberPrefix(text: string): number | undefined {
  const trimmed = text.replace(/[eE.+-]+$/, '');
  if (trimmed === '' || trimmed === '-') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The best partial value of a JSON prefix (see `PartialJsonParser`).
 *
 * @example parsePartialJson('{"items": [{"name": "app') // → { items: [{ name: 'app' }] }
 * @example parsePartialJson('{"a": 1, "b') // → { a: 1 }
 */
export function parsePartialJson(text: string): unknown {
  const parser = new PartialJsonParser();
  parser.push(text);
  return parser.snapshot();
}
