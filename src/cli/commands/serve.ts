import type { Command } from 'commander';
import type { LLM } from '../../client/llm.js';
import { LLMError } from '../../errors/llm-error.js';
import type { CliContext } from '../cli-context.js';
import { plural } from '../text-width.js';

interface ServeFlags {
  port?: number;
  host?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new LLMError('INVALID_PARAMETER', `--port: must be a port number 0–65535 (got "${value}")`);
  }
  return port;
}

/** Resolves on SIGTERM or Ctrl-C (the CLI's interrupt signal). */
function stopRequested(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const onTerm = () => finish('SIGTERM');
    const onAbort = () => finish('SIGINT');
    const finish = (name: string) => {
      process.off('SIGTERM', onTerm);
      signal.removeEventListener('abort', onAbort);
      resolve(name);
    };
    process.once('SIGTERM', onTerm);
    if (signal.aborted) finish('SIGINT');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The client of the config. Its resolved config keeps only the SHA-256 of each client token; the loaded file
 * (with the tokens as given) is not referenced once this returns. It records no spend of its own: the gateway
 * records each request once, under its client token's name.
 */
async function clientOf(ctx: CliContext): Promise<LLM> {
  const loaded = await ctx.loadConfig();
  // Loaded here, like every command's client: `switchboard --help` never loads the library.
  const { createLLM } = await import('../../client/llm.js');
  return createLLM(loaded.config, { recordSpend: false });
}

/**
 * `switchboard serve`: the OpenAI-compatible gateway (API.md §15) until SIGTERM or Ctrl-C, then a graceful
 * drain. Access-log lines go to stdout, everything else to stderr.
 */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the OpenAI-compatible gateway (chat, embeddings, images, models) over the key pools')
    .option('-p, --port <port>', 'TCP port; 0 picks a free one (default: gateway.port, else 4000)', parsePort)
    .option('--host <host>', 'interface to bind (default: gateway.host, else 127.0.0.1)')
    .action(async (flags: ServeFlags) => {
      const llm = await clientOf(ctx);
      // Loaded on use: the other commands never pay for the server and prom-client.
      const { Gateway } = await import('../../gateway/gateway.js');
      let gateway: InstanceType<typeof Gateway>;
      let address: Awaited<ReturnType<InstanceType<typeof Gateway>['listen']>>;
      try {
        gateway = new Gateway({ llm, accessLog: (text) => ctx.out.write(text) });
        address = await gateway.listen(flags.port ?? gateway.config.port, flags.host ?? gateway.config.host);
      } catch (error) {
        await llm.close();
        throw error;
      }
      const tokens = gateway.config.tokens.length;
      const store = llm.context.config.keyStore;
      const where = store.type === 'file' ? `file ${store.path}` : store.type;
      ctx.out.errLine(
        `switchboard gateway listening on ${address.url} (${tokens > 0 ? plural(tokens, 'client token') : 'no tokens: loopback only'}; key state: ${where})`,
      );
      const signal = await stopRequested(ctx.signal);
      ctx.out.errLine(
        `switchboard gateway: ${signal}, draining ${plural(gateway.inFlightCount, 'request')} in flight`,
      );
      await gateway.drain();
      ctx.out.errLine('switchboard gateway: stopped');
    });
}
