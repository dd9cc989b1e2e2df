import type { LLM } from '../client/llm.js';
import { LLMError } from '../errors/llm-error.js';
import type { Locale, Logger } from '../spec/index.js';
import type { CliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';
import { Output } from './output.js';
import { createStderrLogger } from './stderr-logger.js';

/** The global options (`switchboard --config FILE --debug --locale zh …`). */
export interface GlobalOptions {
  config?: string;
  debug?: boolean;
  locale?: Locale;
}

/** What every command gets: the process's streams, the global options, output helpers and a client factory. */
export class CliContext {
  /** The process's exit code once the command is done (commands raise it; errors make it 1). */
  exitCode = 0;
  /** Set when the user interrupted (Ctrl-C): the exit code becomes 130. */
  interrupted = false;
  readonly out: Output;
  private readonly controller = new AbortController();
  private cachedLogger: Logger | undefined;

  /** `interrupt` (Ctrl-C) aborts every call the command makes. */
  constructor(
    readonly io: CliIo,
    private readonly globalsOf: () => GlobalOptions,
    interrupt?: AbortSignal,
  ) {
    this.out = new Output(io);
    interrupt?.addEventListener(
      'abort',
      () => {
        this.interrupted = true;
        this.abort(interrupt.reason);
      },
      { once: true },
    );
  }

  get globals(): GlobalOptions {
    return this.globalsOf();
  }

  get debug(): boolean {
    return this.globals.debug === true;
  }

  /** Aborted on Ctrl-C; commands pass it to every call. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /** The stderr logger: warnings always, debug lines with `--debug`. */
  get logger(): Logger {
    this.cachedLogger ??= createStderrLogger((line) => this.io.stderr.write(line), this.debug);
    return this.cachedLogger;
  }

  /** Loads `switchboard.yaml` (or `--config`, or `$SWITCHBOARD_CONFIG`) with the CLI's defaults. */
  async loadConfig(): Promise<CliConfig> {
    const globals = this.globals;
    try {
      return await this.loadWith(globals);
    } catch (error) {
      // loadConfig speaks to library users; on the command line the way to pass a path is --config.
      if (LLMError.isInstance(error) && error.message.includes('pass a path to loadConfig')) {
        error.message = error.message.replace('pass a path to loadConfig', 'pass --config FILE');
      }
      throw error;
    }
  }

  private async loadWith(globals: GlobalOptions): Promise<CliConfig> {
    // The library is imported by the commands that use it, not at start-up (`--help` never loads it).
    const { loadCliConfig } = await import('./cli-config.js');
    return loadCliConfig({
      ...(globals.config != null ? { path: globals.config } : {}),
      ...(globals.locale != null ? { locale: globals.locale } : {}),
      env: this.io.env,
      cwd: this.io.cwd,
      logger: this.logger,
      debug: this.debug,
    });
  }

  /** Runs `use` with a client built from the config, and closes it (flushing key state) afterwards. */
  async withClient<T>(use: (llm: LLM, loaded: CliConfig) => Promise<T>): Promise<T> {
    const loaded = await this.loadConfig();
    const { createLLM } = await import('../client/llm.js');
    // One call per run: start each provider's rotation at its least-used key, not always at the first.
    const llm = createLLM(loaded.config, { rotationStart: 'least-used' });
    try {
      return await use(llm, loaded);
    } finally {
      await llm.close();
    }
  }
}
