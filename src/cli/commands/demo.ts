import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** `switchboard demo`: a guided tour against the in-process fake provider; offline, a few seconds. */
export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('a guided tour against a local fake provider (offline: no network, no real keys)')
    .action(async () => {
      // The tour (zod, the test kit's fake provider, the client) loads only when the demo runs.
      const { runDemo } = await import('../demo-tour.js');
      await runDemo(ctx);
    });
}
