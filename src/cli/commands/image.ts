import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ImageOptions } from '../../client/options.js';
import type { LLMResponse } from '../../spec/index.js';
import type { CliContext } from '../cli-context.js';
import { positiveInt } from '../parse-options.js';
import { readImageParts } from '../read-input.js';

interface ImageFlags {
  model?: string;
  output: string;
  image?: string[];
  count?: number;
}

const EXTENSION_OF: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/bmp': '.bmp',
  'image/tiff': '.tiff',
  'image/avif': '.avif',
  'image/heic': '.heic',
  'image/svg+xml': '.svg',
};

/**
 * Output file names: `out.png` for one image; `out-1.png`, `out-2.png`, … for several. The extension is the one
 * given, else the image's MIME type's.
 */
export function imageFileNames(output: string, mimeTypes: readonly string[]): string[] {
  const given = extname(output);
  const stem = given !== '' ? output.slice(0, -given.length) : output;
  return mimeTypes.map((mimeType, index) => {
    const extension = given !== '' ? given : (EXTENSION_OF[mimeType.split(';')[0]?.trim() ?? ''] ?? '.bin');
    return mimeTypes.length === 1 ? `${stem}${extension}` : `${stem}-${index + 1}${extension}`;
  });
}

/** `switchboard image "…" -o FILE`: writes the generated image(s); URL-only results are printed, not downloaded. */
export function registerImage(program: Command, ctx: CliContext): void {
  program
    .command('image')
    .description('generate (or edit, with --image) images and write them to files')
    .argument('<prompt...>', 'what to draw')
    .requiredOption('-o, --output <file>', 'output file (out.png; several images → out-1.png, out-2.png, …)')
    .option('-m, --model <name>', 'image model as "Provider/model" (default: the first image model)')
    .option('--image <files...>', 'input images to edit or use as references (put the prompt first)')
    .option('-n, --count <n>', 'number of images (where the model supports it)', positiveInt)
    .action(async (words: string[], flags: ImageFlags) => {
      const prompt = words.join(' ');
      const images = await readImageParts(flags.image ?? [], ctx.io.cwd);
      const options: ImageOptions = { signal: ctx.signal };
      if (flags.model != null) options.model = flags.model;
      if (images.length > 0) options.images = images;
      if (flags.count != null) options.config = { visual: { count: flags.count } };
      await ctx.withClient(async (llm) => {
        const response = await llm.createImage(prompt, options);
        await saveImages(ctx, response, flags.output);
      });
    });
}

async function saveImages(ctx: CliContext, response: LLMResponse, output: string): Promise<void> {
  const { out } = ctx;
  const inline = response.images.filter((image) => image.data.byteLength > 0);
  const names = imageFileNames(
    output,
    inline.map((image) => image.mimeType),
  );
  for (const [index, image] of inline.entries()) {
    const name = names[index] as string;
    const path = resolve(ctx.io.cwd, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, image.data);
    out.line(`wrote ${name} (${image.mimeType}, ${image.data.byteLength} bytes)`);
  }
  for (const image of response.images) {
    if (image.data.byteLength === 0 && image.url != null) {
      out.line(`image at ${image.url} (a URL only: not downloaded)`);
    }
  }
  for (const image of response.images) {
    if (image.revisedPrompt != null) out.errLine(out.errColors.dim(`revised prompt: ${image.revisedPrompt}`));
  }
  for (const warning of response.warnings) out.errLine(out.errColors.yellow(`warning: ${warning}`));
}
