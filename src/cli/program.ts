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
import { registerUsage } from './commands/usage.js';
import { packageVersion } from './package-version.js';

/**
 * Every subcommand, in the order `--help` lists them: one line each (and its import). A command module only
 * declares the command (arguments, options, description); what its action needs beyond that — the client,
 * the config loader, zod — it imports inside the action (`await import(...)`, or through `ctx.withClient`),
 * so `--help` and the other commands never load it (`src/startup-imports.test.ts` checks this).
 */
const COMMANDS: readonly ((program: Command, ctx: CliContext) => void)[] = [
  registerChat,
  registerModels,
  registerKeys,
  registerUsage,
  registerEmbed,
  registerImage,
  registerDoctor,
  registerDemo,
  registerServe,
];

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
  $ switchboard usage --days 7                        recorded tokens and cost by day, model and client
  $ switchboard embed -m OpenAI/text-embedding-3-small --in docs.jsonl --out vectors.jsonl
  $ switchboard image "a lighthouse at dawn" -m Images/gpt-image-1 -o lighthouse.png
  $ switchboard serve --port 4000                     OpenAI-compatible gateway over the key pools

Configuration: --config FILE, else $SWITCHBOARD_CONFIG, else ./switchboard.yaml (.yml, .json).
Key health persists in .switchboard/<config file name>.keys.json beside the config unless it sets keyStore.
`;

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
  for (const register of COMMANDS) register(program, ctx);
  return program;
}
