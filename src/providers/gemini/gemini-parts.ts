import { randomUUID } from 'node:crypto';
import type {
  GeneratedImage,
  LLMContentPart,
  LLMToolCall,
  MediaPart,
  StreamDelta,
} from '../../spec/index.js';
import { parseToolArguments } from '../../util/parse-tool-arguments.js';
import { isRecord } from '../../util/safe-json.js';

/** A fresh tool-call id for calls Gemini sends without one (`call_` + 24 hex; unique across turns). */
export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

type Emit = (delta: StreamDelta) => void;

/** Consecutive text (or thought) pieces, kept as an array and joined once at the end. */
interface TextSegment {
  kind: 'text' | 'thought';
  pieces: string[];
  signature?: string;
  /** A signed segment is closed: later pieces start a new part. */
  closed: boolean;
}

type Segment = TextSegment | { kind: 'part'; part: LLMContentPart };

/** A Vertex `streamFunctionCallArguments` call being assembled from `partialArgs`. */
interface PendingCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  signature?: string;
  /** jsonPaths whose string value is still open (`willContinue: true`). */
  openStrings: Set<string>;
}

/**
 * Collects the `parts` of candidate 0, from one answer or from every chunk of a stream, in order:
 * text and thought pieces (one delta each), tool calls (Vertex `partialArgs` assembled), code
 * execution parts, inline images. Signatures stay on the part they came with; an empty text part that
 * only carries a signature is kept as an empty text part so it round-trips.
 */
export class GeminiPartCollector {
  readonly toolCalls: LLMToolCall[] = [];
  readonly images: GeneratedImage[] = [];
  private readonly segments: Segment[] = [];
  private readonly textPieces: string[] = [];
  private readonly thoughtPieces: string[] = [];
  private pending: PendingCall | undefined;
  private joinedText: string | undefined;
  private joinedThought: string | undefined;

  add(part: unknown, emit?: Emit): void {
    if (!isRecord(part)) return;
    const signature = typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined;
    if (typeof part.text === 'string') {
      this.addText(part.thought === true ? 'thought' : 'text', part.text, signature, emit);
    } else if (isRecord(part.functionCall)) {
      this.addFunctionCall(part.functionCall, signature, emit);
    } else if (isRecord(part.executableCode)) {
      const code = part.executableCode;
      this.segments.push({
        kind: 'part',
        part: withExtras(
          {
            type: 'executable_code',
            language: typeof code.language === 'string' ? code.language : 'PYTHON',
            code: typeof code.code === 'string' ? code.code : '',
          },
          code.id,
          signature,
        ),
      });
    } else if (isRecord(part.codeExecutionResult)) {
      const result = part.codeExecutionResult;
      this.segments.push({
        kind: 'part',
        part: withExtras(
          {
            type: 'code_execution_result',
            outcome: typeof result.outcome === 'string' ? result.outcome : 'OUTCOME_UNSPECIFIED',
            output: typeof result.output === 'string' ? result.output : '',
          },
          result.id,
          signature,
        ),
      });
    } else if (isRecord(part.inlineData)) {
      // Interim "thought" images of image models are not results.
      if (part.thought !== true) this.addInlineData(part.inlineData, signature);
    } else if (isRecord(part.fileData) && typeof part.fileData.fileUri === 'string') {
      const mimeType = typeof part.fileData.mimeType === 'string' ? part.fileData.mimeType : undefined;
      const media: MediaPart = { type: mediaKind(mimeType), url: part.fileData.fileUri };
      if (mimeType != null) media.mimeType = mimeType;
      if (signature != null) media.thoughtSignature = signature;
      this.segments.push({ kind: 'part', part: media });
    } else if (signature != null) {
      this.addText('text', '', signature, emit);
    }
  }

  /** Ends a `partialArgs` call still open when the answer ends. */
  flush(emit?: Emit): void {
    this.finishPending(emit);
  }

  /** Whether the answer produced anything (text, thoughts, calls, code, media). */
  hasContent(): boolean {
    return this.segments.length > 0 || this.toolCalls.length > 0 || this.pending != null;
  }

  text(): string {
    this.joinedText ??= this.textPieces.join('');
    return this.joinedText;
  }

  thoughtText(): string | undefined {
    if (this.thoughtPieces.length === 0) return undefined;
    this.joinedThought ??= this.thoughtPieces.join('');
    return this.joinedThought;
  }

  contentParts(): LLMContentPart[] {
    const segmentsOf = { text: 0, thought: 0 };
    for (const segment of this.segments) if (segment.kind !== 'part') segmentsOf[segment.kind]++;
    return this.segments.map((segment) => {
      if (segment.kind === 'part') return segment.part;
      // The only segment of its kind holding every piece is `text()` / `thoughtText()`: share that string
      // instead of joining a long answer a second time.
      const all = segment.kind === 'text' ? this.textPieces : this.thoughtPieces;
      const whole = segmentsOf[segment.kind] === 1 && segment.pieces.length === all.length;
      const text = whole
        ? segment.kind === 'text'
          ? this.text()
          : (this.thoughtText() ?? '')
        : segment.pieces.join('');
      const part: LLMContentPart = { type: segment.kind, text };
      if (segment.signature != null) part.thoughtSignature = segment.signature;
      return part;
    });
  }

  private addText(kind: 'text' | 'thought', text: string, signature: string | undefined, emit?: Emit): void {
    if (text !== '') {
      (kind === 'text' ? this.textPieces : this.thoughtPieces).push(text);
      if (kind === 'text') this.joinedText = undefined;
      else this.joinedThought = undefined;
      emit?.({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', text });
    } else if (signature == null) {
      return;
    }
    const last = this.segments[this.segments.length - 1];
    const open = last != null && last.kind === kind && !last.closed ? last : undefined;
    if (open != null && text !== '') {
      open.pieces.push(text);
      if (signature != null) {
        open.signature = signature;
        open.closed = true;
      }
      return;
    }
    const segment: TextSegment = { kind, pieces: [text], closed: signature != null };
    if (signature != null) segment.signature = signature;
    this.segments.push(segment);
  }

  private addInlineData(blob: Record<string, unknown>, signature: string | undefined): void {
    if (typeof blob.data !== 'string') return;
    const mimeType = typeof blob.mimeType === 'string' ? blob.mimeType : 'application/octet-stream';
    this.images.push({ mimeType, data: new Uint8Array(Buffer.from(blob.data, 'base64')) });
    const media: MediaPart = { type: mediaKind(mimeType), mimeType, data: blob.data };
    if (signature != null) media.thoughtSignature = signature;
    this.segments.push({ kind: 'part', part: media });
  }

  private addFunctionCall(call: Record<string, unknown>, signature: string | undefined, emit?: Emit): void {
    const name = typeof call.name === 'string' ? call.name : undefined;
    const partialArgs = Array.isArray(call.partialArgs) ? call.partialArgs : undefined;
    if (partialArgs != null || (name != null && call.willContinue === true)) {
      if (name != null) {
        this.finishPending(emit);
        this.pending = { id: idOf(call), name, args: {}, openStrings: new Set() };
        if (signature != null) this.pending.signature = signature;
      }
      if (partialArgs != null && this.pending != null) {
        for (const arg of partialArgs) if (isRecord(arg)) applyPartialArg(this.pending, arg);
        const more =
          call.willContinue === true || partialArgs.some((a) => isRecord(a) && a.willContinue === true);
        if (!more) this.finishPending(emit);
      }
      return;
    }
    if (name == null) {
      // `functionCall: {}` ends a streamed call.
      this.finishPending(emit);
      return;
    }
    this.finishPending(emit);
    let args: Record<string, unknown> = {};
    let raw: string | undefined;
    if (isRecord(call.args)) {
      args = call.args;
    } else if (typeof call.args === 'string') {
      raw = call.args;
      const parsed = parseToolArguments(call.args);
      if (parsed.ok) args = parsed.value;
    }
    this.pushCall(
      { id: idOf(call), name, arguments: args, rawArguments: raw ?? JSON.stringify(args) },
      signature,
      emit,
    );
  }

  private finishPending(emit?: Emit): void {
    const pending = this.pending;
    if (pending == null) return;
    this.pending = undefined;
    const call = {
      id: pending.id,
      name: pending.name,
      arguments: pending.args,
      rawArguments: JSON.stringify(pending.args),
    };
    this.pushCall(call, pending.signature, emit);
  }

  private pushCall(call: LLMToolCall, signature: string | undefined, emit?: Emit): void {
    if (signature != null) call.thoughtSignature = signature;
    this.toolCalls.push(call);
    emit?.({ type: 'tool-call', toolCall: call });
  }
}

function idOf(call: Record<string, unknown>): string {
  return typeof call.id === 'string' && call.id !== '' ? call.id : newToolCallId();
}

function withExtras<T extends LLMContentPart & { id?: string }>(
  part: T,
  id: unknown,
  signature: string | undefined,
): T {
  if (typeof id === 'string') part.id = id;
  if (signature != null) part.thoughtSignature = signature;
  return part;
}

function mediaKind(mimeType: string | undefined): MediaPart['type'] {
  if (mimeType == null) return 'file';
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  return 'file';
}

type PathSegment = string | number;

/** `$.a.b[0].c` → `['a', 'b', 0, 'c']`. */
function parseJsonPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const body = path.replace(/^\$\.?/, '');
  for (const piece of body.split('.')) {
    if (piece === '') continue;
    const bracket = piece.indexOf('[');
    if (bracket === -1) {
      segments.push(piece);
      continue;
    }
    if (bracket > 0) segments.push(piece.slice(0, bracket));
    for (const match of piece.matchAll(/\[(\d+)\]/g)) segments.push(Number(match[1]));
  }
  return segments;
}

function getPath(root: Record<string, unknown>, segments: PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (node == null || typeof node !== 'object') return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}

function setPath(root: Record<string, unknown>, segments: PathSegment[], value: unknown): void {
  let node = root as Record<PathSegment, unknown>;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next == null || typeof next !== 'object') {
      node[segment] = typeof segments[i + 1] === 'number' ? [] : {};
    }
    node = node[segment] as Record<PathSegment, unknown>;
  });
}

/** One Vertex `partialArgs` entry: a value at a jsonPath; strings may continue over several entries. */
function applyPartialArg(call: PendingCall, arg: Record<string, unknown>): void {
  if (typeof arg.jsonPath !== 'string') return;
  const isArrayEnd = arg.jsonPath.endsWith('[]');
  const key = isArrayEnd ? arg.jsonPath.slice(0, -2) : arg.jsonPath;
  const segments = parseJsonPath(key);
  if (segments.length === 0) return;
  if (typeof arg.stringValue === 'string') {
    const existing = getPath(call.args, segments);
    const continues = call.openStrings.has(key) && typeof existing === 'string';
    setPath(call.args, segments, continues ? existing + arg.stringValue : arg.stringValue);
    if (arg.willContinue === true) call.openStrings.add(key);
    else call.openStrings.delete(key);
    return;
  }
  if (typeof arg.numberValue === 'number') setPath(call.args, segments, arg.numberValue);
  else if (typeof arg.boolValue === 'boolean') setPath(call.args, segments, arg.boolValue);
  else if ('nullValue' in arg) setPath(call.args, segments, null);
  else if (getPath(call.args, segments) === undefined && arg.willContinue !== true) {
    setPath(call.args, segments, isArrayEnd ? [] : {});
  }
}
