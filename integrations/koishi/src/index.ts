import type { Context, Logger } from 'koishi';
import { registerAdminCommands } from './admin-commands';
import { registerAsk } from './ask-command';
import { ChatSessions } from './chat-sessions';
import { clientConfigOf } from './client-config';
import { Config } from './config';
import { logStartError } from './error-reply';
import { libraryLogger } from './library-logger';
import type { Library, LLM } from './library-types';
import type { Client, Runtime } from './runtime';
import { textsOf } from './texts';

export { answerToElements } from './answer-to-elements';
export { keyStatePath } from './client-config';
export type { ProviderEntry } from './config';
export { elementsToParts } from './elements-to-parts';
export { Config };

declare module 'koishi' {
  interface Context {
    /** The switchboard-llm client (`LLM`) of `koishi-plugin-switchboard`. */
    switchboard: LLM;
  }
}

export const name = 'switchboard';

export const usage = `
LLM calls with key pools, retries and fallbacks (switchboard-llm).
Other plugins use \`ctx.switchboard\` (declare \`inject: ['switchboard']\`).
Commands: \`ask <text>\`, \`llm.list\`, \`llm.info\`, \`llm.default\`, \`llm.test\`, \`llm.keys\`, \`llm.reset-key\`.
`;

/** The library is ESM only and this plugin CommonJS (Koishi's loader \`require()\`s plugins): loaded with import(). */
function importLibrary(): Promise<Library> {
  return import('switchboard-llm');
}

async function startClient(ctx: Context, config: Config, logger: Logger): Promise<Client | undefined> {
  let lib: Library;
  try {
    lib = await importLibrary();
  } catch (error) {
    logger.error('cannot load switchboard-llm: %s', error instanceof Error ? error.message : String(error));
    return undefined;
  }
  // Koishi's instance directory (its CLI runs the bot there; cordis sets `baseDir` to the working directory).
  const baseDir = ctx.baseDir !== '' ? ctx.baseDir : process.cwd();
  try {
    const clientConfig = await clientConfigOf(config, { baseDir, logger: libraryLogger(logger), lib });
    const llm = lib.createLLM(clientConfig);
    return { llm, lib, sessions: new ChatSessions(llm, { observeGroups: config.observeGroups }) };
  } catch (error) {
    logStartError(error, lib, logger);
    return undefined;
  }
}

/**
 * Starts the client when Koishi is ready and provides it as `ctx.switchboard`; registers the commands at
 * once (they answer "not ready" until the client runs). Disposing the plugin closes the client (key state
 * flushed, connections closed). A bad configuration is logged, problem by problem, and leaves the plugin
 * idle: the app keeps running.
 */
export function apply(ctx: Context, config: Config): void {
  const logger = ctx.logger('switchboard');
  const runtime: Runtime = { config, texts: textsOf(config.locale), logger };
  let disposed = false;

  ctx.on('dispose', async () => {
    disposed = true;
    const client = runtime.client;
    runtime.client = undefined;
    await client?.llm.close();
  });

  ctx.on('ready', async () => {
    const client = await startClient(ctx, config, logger);
    if (client === undefined) return;
    if (disposed) {
      await client.llm.close();
      return;
    }
    runtime.client = client;
    ctx.set('switchboard', client.llm);
  });

  registerAdminCommands(ctx, runtime);
  registerAsk(ctx, runtime);
}
