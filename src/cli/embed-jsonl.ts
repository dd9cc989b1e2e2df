/** A JSONL line ready to embed. */
export interface GoodLine {
  /** 1-based line number in the input. */
  lineNo: number;
  /** The parsed object; written back with `embedding` added. */
  record: Record<string, unknown>;
  text: string;
}

/** What one input line is. */
export type ParsedLine =
  | { kind: 'good'; line: GoodLine }
  | { kind: 'bad'; lineNo: number; reason: string }
  | { kind: 'blank' };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Parses one line: a JSON object with a non-empty string `text` is good; blank lines are ignored. */
export function parseJsonlLine(raw: string, lineNo: number): ParsedLine {
  const source = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
  if (source.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { kind: 'bad', lineNo, reason: `invalid JSON (${(error as Error).message})` };
  }
  if (typeName(value) !== 'object')
    return { kind: 'bad', lineNo, reason: `not a JSON object (got ${typeName(value)})` };
  const record = value as Record<string, unknown>;
  if (!('text' in record)) return { kind: 'bad', lineNo, reason: 'missing "text"' };
  if (typeof record.text !== 'string') {
    return { kind: 'bad', lineNo, reason: `"text" must be a string (got ${typeName(record.text)})` };
  }
  if (record.text.trim() === '') return { kind: 'bad', lineNo, reason: '"text" is empty' };
  return { kind: 'good', line: { lineNo, record, text: record.text } };
}

/** A batch that failed: the error and the input lines it covered. */
export class BatchFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly firstLine: number,
    readonly lastLine: number,
  ) {
    super(`embedding failed for input lines ${firstLine}–${lastLine}`);
  }
}

/** How `OrderedBatches` embeds and writes. */
export interface OrderedBatchesOptions {
  /** Lines per `embed` call. */
  batchSize: number;
  /** Batches in flight at most. */
  concurrency: number;
  /** Embeds texts; vectors in the same order. */
  embed(texts: string[]): Promise<number[][]>;
  /** Writes output text (several lines). */
  write(text: string): Promise<void>;
  /** Called after each batch is written, with its size. */
  onWritten?(count: number): void;
}

type Settled = { lines: GoodLine[]; vectors?: number[][]; error?: unknown };

/**
 * Groups lines into batches, keeps up to `concurrency` batches in flight and writes results strictly in
 * input order (a slow first batch holds back later ones; memory stays bounded by `concurrency` batches).
 * The first failed batch stops the run: `add`/`finish` throw a `BatchFailure`.
 */
export class OrderedBatches {
  private batch: GoodLine[] = [];
  private readonly queue: Promise<Settled>[] = [];
  /** Batches dispatched so far. */
  batches = 0;
  /** Lines written so far. */
  written = 0;

  constructor(private readonly options: OrderedBatchesOptions) {}

  async add(line: GoodLine): Promise<void> {
    this.batch.push(line);
    if (this.batch.length >= this.options.batchSize) this.dispatch();
    while (this.queue.length >= this.options.concurrency) await this.writeHead();
  }

  async finish(): Promise<void> {
    this.dispatch();
    while (this.queue.length > 0) await this.writeHead();
  }

  private dispatch(): void {
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    this.batches++;
    // Settled into a value at once, so a batch failing while an earlier one is awaited is never unhandled.
    this.queue.push(
      this.options.embed(lines.map((line) => line.text)).then(
        (vectors) => ({ lines, vectors }),
        (error: unknown) => ({ lines, error }),
      ),
    );
  }

  private async writeHead(): Promise<void> {
    const head = this.queue.shift();
    if (head == null) return;
    const { lines, vectors, error } = await head;
    if (vectors == null) {
      throw new BatchFailure(error, lines[0]?.lineNo ?? 0, lines[lines.length - 1]?.lineNo ?? 0);
    }
    const text = lines
      .map((line, index) => `${JSON.stringify({ ...line.record, embedding: vectors[index] ?? [] })}\n`)
      .join('');
    await this.options.write(text);
    this.written += lines.length;
    this.options.onWritten?.(lines.length);
  }
}
