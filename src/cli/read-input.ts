import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { LLMError } from '../errors/llm-error.js';
import type { MediaPart } from '../spec/index.js';
import { mediaKindOf, mimeFromFileName, sniffMimeType } from '../util/mime.js';

/** All of a stream as UTF-8 text. */
export async function readAllText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The prompt: the arguments joined, else stdin when it is not a terminal. */
export async function readPrompt(
  words: readonly string[],
  stdin: Readable & { isTTY?: boolean },
): Promise<string> {
  const given = words.join(' ').trim();
  if (given !== '') return given;
  if (stdin.isTTY === true) {
    throw new LLMError(
      'INVALID_PARAMETER',
      'No prompt: pass it as an argument (switchboard chat "Hello") or pipe it on stdin.',
    );
  }
  const text = (await readAllText(stdin)).trim();
  if (text === '') throw new LLMError('INVALID_PARAMETER', 'No prompt: stdin was empty.');
  return text;
}

/** Image files as image parts: bytes read, MIME type sniffed from the bytes (else from the file name). */
export async function readImageParts(
  files: readonly string[],
  cwd: string,
  option = '--image',
): Promise<MediaPart[]> {
  return Promise.all(
    files.map(async (file) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(resolve(cwd, file));
      } catch (error) {
        throw new LLMError(
          'INVALID_PARAMETER',
          `${option} ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          {
            cause: error,
          },
        );
      }
      const mimeType = sniffMimeType(bytes) ?? mimeFromFileName(file);
      if (mimeType == null || mediaKindOf(mimeType) !== 'image') {
        throw new LLMError(
          'INVALID_PARAMETER',
          `${option} ${file}: not an image (${mimeType ?? 'unknown type'})`,
        );
      }
      const part: MediaPart = { type: 'image', mimeType, data: bytes.toString('base64') };
      return part;
    }),
  );
}
