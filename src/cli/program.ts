import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { CliContext } from './cli-context.js';
import { registerChat } from './commands/chat.js';
import { registerDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor.js';
import { registerEmbed } from './commands/embed.js';
import { registerImage } from './commands/image.js';
import { registerKeys } from './commands/keys.js';
import { registerModels } from './commands/models.js';
import { registerServe } from './commands/serve.js';

const EXAMPLES = `
Examples:
  $ switchboard demo                                  offline tour against a local fake provider
  $ switchboard doctor                                check the config, then probe every key
  $ switchboard chat "Hello"                          stream an answer from the default model
  $ switchboard chat "Explain this" -m OpenAI/gpt-4o-mini --system "Be brief."
  $ cat notes.txt | switchboard chat -m Gemini/gemini-2.5-flash
  $ switchboard chat "What is in this picture?" --image cat.png
  $ switchboard models
  $ switchboard keys OpenAI
  $ switchboard keys reset OpenAI key#1a2b3c
  $ switchboard embed -m OpenAI/text-embedding-3-small --in docs.jsonl --out vectors.jsonl
  $ switchboard image "a lighthouse at dawn" -m Images/gpt-image-1 -o lighthouse.png
  $ switchboard serve --port 4000                     OpenAI-compatible gateway over the key pools

Configuration: --config FILE, else $SWITCHBOARD_CONFIG, else ./switchboard.yaml (.yml, .json).
Key health persists in .switchboard/<config file name>.keys.json beside the config unless it sets keyStore.
`;

/** The version in package.json (two levels up from dist/cli/ and from src/cli/). */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The `switchboard` command with its global options and every subcommand. */
export function buildProgram(program: Command, ctx: CliContext): Command {
  program
    .name('switchboard')
    .description('Call LLMs from the terminal through switchboard-llm: chat, embeddings, images, key health.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('-c, --config <file>', 'config file (default: $SWITCHBOARD_CONFIG, else ./switchboard.yaml)')
    .option('--debug', 'stack traces, and debug logging of every request and response on stderr')
    .addOption(new Option('--locale <locale>', 'language of error messages').choices(['en', 'zh']))
    .showHelpAfterError('(run `switchboard --help` for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.out.write(text),
      writeErr: (text) => ctx.out.writeErr(text),
    })
    .addHelpText('after', EXAMPLES);
  registerChat(program, ctx);
  registerModels(program, ctx);
  registerKeys(program, ctx);
  registerEmbed(program, ctx);
  registerImage(program, ctx);
  registerDoctor(program, ctx);
  registerDemo(program, ctx);
  registerServe(program, ctx);
  return program;
}
