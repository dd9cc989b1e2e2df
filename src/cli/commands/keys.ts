import type { Command } from 'commander';
import { LLMError } from '../../errors/llm-error.js';
import type { KeyStats, LLMConfig } from '../../spec/index.js';
import { keyIdOf } from '../../util/key-id.js';
import type { CliContext } from '../cli-context.js';
import { renderKeyTable } from '../key-table.js';
import { plural } from '../text-width.js';

/** The configured provider named `name` (case-insensitive), as spelled in the config. */
function providerName(config: LLMConfig, name: string): string {
  const found = config.providers.find((provider) => provider.name.toLowerCase() === name.toLowerCase());
  if (found == null) {
    const known = config.providers.map((provider) => provider.name).join(', ');
    throw new LLMError('INVALID_PARAMETER', `Unknown provider "${name}" (configured: ${known})`);
  }
  return found.name;
}

/** `switchboard keys [provider]` and `switchboard keys reset <provider> [keyId]`. */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program
    .command('keys')
    .description('key health per provider (status, cooldown, calls, success rate, latency, last error)')
    .argument('[provider]', 'only this provider')
    .option('--json', 'print JSON ({ provider: KeyStats[] })')
    .action(async (provider: string | undefined, flags: { json?: boolean }) => {
      await ctx.withClient(async (llm, { config }) => {
        const names =
          provider != null ? [providerName(config, provider)] : config.providers.map((p) => p.name);
        const all: Record<string, KeyStats[]> = {};
        for (const name of names) all[name] = await llm.keys.stats(name);
        if (flags.json === true) {
          ctx.out.json(all);
          return;
        }
        const { colors } = ctx.out;
        const blocks = Object.entries(all).map(([name, stats]) => {
          const heading = `${colors.bold(name)} ${colors.dim(`(${plural(stats.length, 'key')})`)}`;
          return `${heading}\n${renderKeyTable(stats, colors)}`;
        });
        ctx.out.write(blocks.join('\n'));
      });
    });

  keys
    .command('reset')
    .description('clear cooldowns and re-enable keys (all keys of the provider, or one by its masked id)')
    .argument('<provider>', 'provider name')
    .argument('[keyId]', 'masked key id as shown by `switchboard keys` (e.g. key#1a2b3c)')
    .action(async (provider: string, keyId: string | undefined) => {
      await ctx.withClient(async (llm, { config }) => {
        const name = providerName(config, provider);
        const stats = await llm.keys.stats(name);
        let target: string | undefined;
        if (keyId != null) {
          target = [keyId, keyIdOf(keyId)].find((id) => stats.some((key) => key.keyId === id));
          if (target == null) {
            const known = stats.map((key) => key.keyId).join(', ');
            throw new LLMError('INVALID_PARAMETER', `No key "${keyId}" in provider ${name} (keys: ${known})`);
          }
        }
        await llm.keys.reset(name, target);
        const what = target != null ? `key ${target}` : plural(stats.length, 'key');
        ctx.out.line(`reset ${what} of ${name}`);
      });
    });
}
