import type { Command } from 'commander';
import type { LLM } from '../../client/llm.js';
import type { ChatOptions } from '../../client/options.js';
import type { LLMResponse, MessageInput } from '../../spec/index.js';
import type { CliContext } from '../cli-context.js';
import { printableResponse } from '../printable.js';
import { readImageParts, readPrompt } from '../read-input.js';

interface ChatFlags {
  model?: string;
  system?: string;
  image?: string[];
  json?: boolean;
  showReasoning?: boolean;
}

/** `switchboard chat "…"`: one turn, streamed to stdout (or the whole response as JSON). */
export function registerChat(program: Command, ctx: CliContext): void {
  program
    .command('chat')
    .description('ask a model; the answer streams to stdout as it arrives')
    .argument('[prompt...]', 'the prompt (read from stdin when omitted and stdin is not a terminal)')
    .option('-m, --model <name>', 'model as "Provider/model" (default: the config\'s defaultModel)')
    .option('-s, --system <text>', 'system prompt (instruction)')
    .option('--image <files...>', 'image files to send with the prompt (put the prompt first)')
    .option('--json', 'print the final response as JSON instead of streaming the text')
    .option('--show-reasoning', "stream the model's reasoning to stderr (dimmed on a terminal)")
    .action(async (words: string[], flags: ChatFlags) => {
      const prompt = await readPrompt(words, ctx.io.stdin);
      const images = await readImageParts(flags.image ?? [], ctx.io.cwd);
      const input: MessageInput = images.length > 0 ? [{ type: 'text', text: prompt }, ...images] : prompt;
      const options: ChatOptions = { signal: ctx.signal };
      if (flags.model != null) options.model = flags.model;
      if (flags.system != null) options.instruction = flags.system;
      if (flags.showReasoning === true) options.config = { reasoning: { showThoughts: true } };
      await ctx.withClient(async (llm) => {
        if (flags.json === true) {
          ctx.out.json(printableResponse(await llm.chat(input, options)));
          return;
        }
        const response = await streamAnswer(ctx, llm, input, options, flags.showReasoning === true);
        reportEnding(ctx, response);
      });
    });
}

async function streamAnswer(
  ctx: CliContext,
  llm: LLM,
  input: MessageInput,
  options: ChatOptions,
  showReasoning: boolean,
): Promise<LLMResponse> {
  const { out } = ctx;
  const stream = llm.stream(input, options);
  let last = '';
  let reasoningOpen = false;
  for await (const event of stream) {
    if (event.type === 'reasoning-delta' && showReasoning) {
      out.writeErr(out.errColors.dim(event.text));
      reasoningOpen = true;
    } else if (event.type === 'text-delta') {
      if (reasoningOpen) {
        out.errLine();
        reasoningOpen = false;
      }
      out.write(event.text);
      if (event.text !== '') last = event.text;
    } else if (event.type === 'finish' && last === '' && event.response.text !== '') {
      // A provider (or gateway) that answered the stream request with one JSON body: no deltas, only the result.
      out.write(event.response.text);
      last = event.response.text;
    } else if (event.type === 'error') {
      if (last !== '' && !last.endsWith('\n')) out.line();
      throw event.error;
    }
  }
  if (reasoningOpen) out.errLine();
  if (!last.endsWith('\n')) out.line();
  return stream.response;
}

/** Warnings and an unusual finish (cut at max tokens, filtered) go to stderr. */
function reportEnding(ctx: CliContext, response: LLMResponse): void {
  const { out } = ctx;
  for (const warning of response.warnings) out.errLine(out.errColors.yellow(`warning: ${warning}`));
  if (response.finishReason === 'length')
    out.errLine(out.errColors.yellow('(the answer was cut: max tokens reached)'));
  if (response.finishReason === 'content_filter')
    out.errLine(out.errColors.yellow('(the answer was stopped by a content filter)'));
}
