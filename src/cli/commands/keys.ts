import type { Command } from 'commander';
import type { LLM } from '../../client/llm.js';
import { LLMError } from '../../errors/llm-error.js';
import { resolveKeyId } from '../../keys/resolve-key-id.js';
import type { KeyStats, LLMConfig } from '../../spec/index.js';
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

/** How a reset key is named in the confirmation: its id, never the key a user may have typed. */
function shownKey(provider: string, input: string, stats: readonly KeyStats[]): string {
  try {
    return `key ${stats[resolveKeyId(provider, input, stats)]!.keyId}`;
  } catch {
    return '1 key';
  }
}

/**
 * Today's recorded spend (UTC) by provider, from the key store's ledger (`switchboard usage` has the detail);
 * empty for a memory store or when it cannot be read — the key table never fails for it.
 */
async function spendToday(llm: LLM): Promise<Map<string, { calls: number; costUsd: number }>> {
  const byProvider = new Map<string, { calls: number; costUsd: number }>();
  const store = llm.context.keyPools.store;
  if (store.kind === 'memory' || store.spend == null) return byProvider;
  const rows = await store.spend.totals({ day: new Date().toISOString().slice(0, 10) }).catch(() => []);
  for (const row of rows) {
    const provider = row.model.slice(0, row.model.indexOf('/')).toLowerCase();
    const entry = byProvider.get(provider) ?? { calls: 0, costUsd: 0 };
    entry.calls += row.calls;
    entry.costUsd += row.costUsd;
    byProvider.set(provider, entry);
  }
  return byProvider;
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
        const spend = await spendToday(llm);
        const blocks = Object.entries(all).map(([name, stats]) => {
          const today = spend.get(name.toLowerCase());
          const cost = today != null && today.costUsd > 0 ? ` $${today.costUsd.toFixed(6)}` : '';
          const spent = today != null ? `, today ${plural(today.calls, 'call')}${cost}` : '';
          const heading = `${colors.bold(name)} ${colors.dim(`(${plural(stats.length, 'key')}${spent})`)}`;
          return `${heading}\n${renderKeyTable(stats, colors)}`;
        });
        ctx.out.write(blocks.join('\n'));
      });
    });

  keys
    .command('reset')
    .description('clear cooldowns and re-enable keys (all keys of the provider, or one by its masked id)')
    .argument('<provider>', 'provider name')
    .argument('[keyId]', 'key id as shown by `switchboard keys` (e.g. key#1a2b3c or sk-a...wxyz)')
    .action(async (provider: string, keyId: string | undefined) => {
      await ctx.withClient(async (llm, { config }) => {
        const name = providerName(config, provider);
        // The pool resolves the id (`...` for `…`, or the key itself) and names the valid ids when it cannot.
        await llm.keys.reset(name, keyId);
        const stats = await llm.keys.stats(name);
        ctx.out.line(
          `reset ${keyId != null ? shownKey(name, keyId, stats) : plural(stats.length, 'key')} of ${name}`,
        );
      });
    });
}
