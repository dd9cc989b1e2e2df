import { Command, CommanderError } from 'commander';
import { CliContext, type GlobalOptions } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { formatError } from './format-error.js';
import { buildProgram } from './program.js';

/**
 * Runs the CLI with `args` (without `node` and the script) and returns the exit code: 0 ok, 1 error, 2 partial
 * success (`embed` skipped lines), 130 interrupted. Errors are printed as `error [CODE]: friendly message`, with
 * the stack only under `--debug`; every printed string is redacted.
 */
export async function runCli(args: readonly string[], io: CliIo, interrupt?: AbortSignal): Promise<number> {
  const program = new Command();
  const ctx = new CliContext(io, () => program.opts<GlobalOptions>(), interrupt);
  buildProgram(program, ctx);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    ctx.out.writeErr(formatError(error, { debug: ctx.debug, ...localeOf(program) }));
    return ctx.interrupted ? 130 : 1;
  }
}

function localeOf(program: Command): Pick<GlobalOptions, 'locale'> {
  const locale = program.opts<GlobalOptions>().locale;
  return locale != null ? { locale } : {};
}
