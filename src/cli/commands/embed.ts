import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { LLM } from '../../client/llm.js';
import { LLMError } from '../../errors/llm-error.js';
import type { CliContext } from '../cli-context.js';
import { BatchFailure, OrderedBatches, parseJsonlLine } from '../embed-jsonl.js';
import { fileSink, type LineSink, streamSink } from '../line-sink.js';
import { positiveInt } from '../parse-options.js';
import { ProgressBar } from '../progress.js';
import { plural } from '../text-width.js';

interface EmbedFlags {
  model?: string;
  in?: string;
  out?: string;
  batch: number;
  concurrency: number;
}

/** The embedding model to use: `-m` (must be an embedding model), else the default one. */
function checkModel(llm: LLM, name: string | undefined): string | undefined {
  if (name == null) {
    if (llm.models.listEmbedding().length === 0) {
      throw new LLMError(
        'MODEL_NOT_FOUND',
        'No embedding model is configured (add one with `embedding: true`).',
      );
    }
    return undefined;
  }
  const info = llm.models.resolve(name);
  // A route of embedding models (API.md §14) embeds like one.
  if (info.kind !== 'embedding' && info.targetKind !== 'embedding') {
    const known = llm.models.listEmbedding().map((model) => model.name);
    throw new LLMError(
      'INVALID_PARAMETER',
      `-m ${info.name} is a ${info.kind} model; embedding models: ${known.length > 0 ? known.join(', ') : 'none configured'}`,
    );
  }
  return info.name;
}

async function openInput(
  ctx: CliContext,
  file: string | undefined,
): Promise<{ input: Readable; size?: number }> {
  if (file == null) {
    if (ctx.io.stdin.isTTY === true) {
      throw new LLMError(
        'INVALID_PARAMETER',
        'No input: pass --in FILE or pipe JSONL on stdin ({"text": "…"} per line).',
      );
    }
    return { input: ctx.io.stdin };
  }
  const path = resolve(ctx.io.cwd, file);
  try {
    const info = await stat(path);
    return { input: createReadStream(path), size: info.size };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LLMError('INVALID_PARAMETER', `--in ${file}: cannot read the file (${reason})`, {
      cause: error,
    });
  }
}

function lineList(numbers: readonly number[]): string {
  const shown = numbers.slice(0, 10).join(', ');
  return numbers.length > 10 ? `${shown}, … (${numbers.length - 10} more)` : shown;
}

/** `switchboard embed`: JSONL in, JSONL with `embedding` out, in input order, batched. */
export function registerEmbed(program: Command, ctx: CliContext): void {
  program
    .command('embed')
    .description('embed JSONL ({"text": …} per line) into JSONL with an "embedding" field, in input order')
    .option('-m, --model <name>', 'embedding model as "Provider/model" (default: the first embedding model)')
    .option('--in <file>', 'input JSONL (default: stdin)')
    .option('--out <file>', 'output JSONL (default: stdout)')
    .option('--batch <n>', 'lines per embedding request', positiveInt, 64)
    .option('--concurrency <n>', 'batches in flight at most', positiveInt, 4)
    .action(async (flags: EmbedFlags) => {
      await ctx.withClient(async (llm) => {
        const model = checkModel(llm, flags.model);
        const { input, size } = await openInput(ctx, flags.in);
        const sink: LineSink =
          flags.out != null ? await fileSink(flags.out, ctx.io.cwd) : streamSink(ctx.io.stdout);
        try {
          await runEmbed(ctx, llm, { ...flags, model, input, size, sink });
        } finally {
          input.destroy();
          await sink.close();
        }
      });
    });
}

interface RunOptions extends Omit<EmbedFlags, 'model'> {
  model: string | undefined;
  input: Readable;
  size?: number;
  sink: LineSink;
}

async function runEmbed(ctx: CliContext, llm: LLM, options: RunOptions): Promise<void> {
  const { out } = ctx;
  const progress = new ProgressBar(ctx.io.stderr, out.stderrIsTTY);
  const skipped: number[] = [];
  let bytesRead = 0;
  const state = () => ({
    done: batches.written,
    skipped: skipped.length,
    ...(options.size != null && options.size > 0 ? { fraction: bytesRead / options.size } : {}),
  });
  const batches = new OrderedBatches({
    batchSize: options.batch,
    concurrency: options.concurrency,
    embed: (texts) =>
      llm.embed(texts, { signal: ctx.signal, ...(options.model != null ? { model: options.model } : {}) }),
    write: (text) => options.sink.write(text),
    onWritten: () => progress.update(state()),
  });
  const lines = createInterface({ input: options.input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      bytesRead += Buffer.byteLength(raw) + 1;
      const parsed = parseJsonlLine(raw, lineNo);
      if (parsed.kind === 'bad') {
        skipped.push(parsed.lineNo);
        progress.clear();
        out.errLine(out.errColors.yellow(`line ${parsed.lineNo}: skipped: ${parsed.reason}`));
        progress.update(state(), true);
      } else if (parsed.kind === 'good') {
        await batches.add(parsed.line);
      }
    }
    await batches.finish();
  } catch (error) {
    progress.clear();
    if (error instanceof BatchFailure) {
      ctx.abort(error.error); // stop the batches still in flight
      out.errLine(
        `embedding stopped at input lines ${error.firstLine}–${error.lastLine}; ${batches.written} lines were written before them`,
      );
      throw error.error;
    }
    throw error;
  } finally {
    lines.close();
  }
  progress.clear();
  const summary = `embedded ${plural(batches.written, 'line')} in ${plural(batches.batches, 'batch', 'batches')}`;
  if (skipped.length === 0) {
    out.errLine(summary);
    return;
  }
  out.errLine(
    out.errColors.yellow(
      `${summary}; skipped ${plural(skipped.length, 'bad line')} (${skipped.length === 1 ? 'line' : 'lines'} ${lineList(skipped)})`,
    ),
  );
  ctx.exitCode = 2;
}
