import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LLMError } from '../errors/llm-error.js';
import type { OutStream } from './cli-io.js';
import { writeWithBackpressure } from './output.js';

/** Where output lines go: a file or stdout, with backpressure. */
export interface LineSink {
  write(text: string): Promise<void>;
  /** Ends a file (stdout stays open). */
  close(): Promise<void>;
}

/** stdout as a sink. */
export function streamSink(stream: OutStream): LineSink {
  return { write: (text) => writeWithBackpressure(stream, text), close: async () => undefined };
}

/** A file (created or truncated) as a sink; a file that cannot be opened fails now, naming the option. */
export async function fileSink(file: string, cwd: string, option = '--out'): Promise<LineSink> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(resolve(cwd, file), 'w');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LLMError('INVALID_PARAMETER', `${option} ${file}: cannot write the file (${reason})`, {
      cause: error,
    });
  }
  const stream = handle.createWriteStream();
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    async write(text) {
      if (failure != null) throw failure;
      await writeWithBackpressure(stream, text);
    },
    close: () =>
      new Promise<void>((done, fail) => {
        stream.end((error?: Error | null) => (error != null ? fail(error) : done()));
      }),
  };
}
