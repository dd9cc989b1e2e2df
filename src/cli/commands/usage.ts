import type { Command } from 'commander';
import { LLMError } from '../../errors/llm-error.js';
import { addSpendInto, emptySpendRow, type SpendEntry, type SpendFilter } from '../../keys/spend-ledger.js';
import type { CliContext } from '../cli-context.js';
import { positiveInt, utcDay } from '../parse-options.js';
import { type Cell, renderTable } from '../table.js';

interface UsageFlags {
  day?: string;
  days?: number;
  client?: string;
  model?: string;
  json?: boolean;
}

type Counters = Omit<SpendEntry, 'day' | 'model' | 'client'>;

const DAY_MS = 86_400_000;

function sum(rows: readonly SpendEntry[]): Counters {
  const total = emptySpendRow('', '', undefined);
  for (const row of rows) addSpendInto(total, row);
  const { day: _day, model: _model, ...counters } = total;
  return counters;
}

/** `$0.000228`, `$12.34`: enough decimals to show small spend, fewer once it is large. */
function usd(value: number): string {
  return `$${value.toFixed(value >= 100 ? 2 : 6)}`;
}

function counterCells(counters: Counters): string[] {
  return [
    String(counters.calls),
    String(counters.errors),
    String(counters.promptTokens),
    String(counters.cachedTokens),
    String(counters.completionTokens),
    String(counters.reasoningTokens),
    usd(counters.costUsd),
  ];
}

/**
 * `switchboard usage`: the spend the key store recorded (API.md §16) — by UTC day, model and client (gateway
 * client tokens; `-` for library calls), with a total. Reads the configured store's ledger: the state file
 * (the CLI default) or Redis; a `memory` store keeps nothing, which is said plainly.
 */
export function registerUsage(program: Command, ctx: CliContext): void {
  program
    .command('usage')
    .description('recorded spend by day, model and client (tokens and cost), from the key store')
    .option('--day <YYYY-MM-DD>', 'only this UTC day', utcDay)
    .option('--days <n>', 'only the last n UTC days, today included', positiveInt)
    .option('--client <name>', 'only this gateway client token (by name)')
    .option('-m, --model <name>', 'only this model ("Provider/model" as recorded)')
    .option('--json', 'print JSON ({ rows, total })')
    .action(async (flags: UsageFlags) => {
      if (flags.day != null && flags.days != null) {
        throw new LLMError('INVALID_PARAMETER', 'usage: give --day or --days, not both');
      }
      await ctx.withClient(async (llm) => {
        const store = llm.context.keyPools.store;
        if (store.kind === 'memory' || store.spend == null) {
          ctx.out.errLine(
            "The key store is 'memory': nothing is persisted, so there is no recorded spend. Remove keyStore " +
              'from the config (the CLI then keeps state in a file under .switchboard/) or set it to a file or redis.',
          );
          ctx.exitCode = 1;
          return;
        }
        const filter: SpendFilter = {};
        if (flags.day != null) filter.day = flags.day;
        if (flags.client != null) filter.client = flags.client;
        if (flags.model != null) filter.model = flags.model;
        let rows = await store.spend.totals(filter);
        if (flags.days != null) {
          const first = new Date(Date.now() - (flags.days - 1) * DAY_MS).toISOString().slice(0, 10);
          rows = rows.filter((row) => row.day >= first);
        }
        const total = sum(rows);
        if (flags.json === true) {
          ctx.out.json({ rows, total });
          return;
        }
        if (rows.length === 0) {
          ctx.out.line(`No spend recorded${describe(flags)} (store: ${store.kind}).`);
          return;
        }
        const { colors } = ctx.out;
        const body: Cell[][] = rows.map((row) => [
          row.day,
          row.model,
          row.client ?? '-',
          ...counterCells(row),
        ]);
        body.push(['TOTAL', '', '', ...counterCells(total)].map((text) => ({ text, style: colors.bold })));
        const right = { align: 'right' as const };
        ctx.out.write(
          renderTable(
            [
              { header: 'DAY' },
              { header: 'MODEL', maxWidth: 60 },
              { header: 'CLIENT', maxWidth: 30 },
              { header: 'CALLS', ...right },
              { header: 'ERRORS', ...right },
              { header: 'PROMPT', ...right },
              { header: 'CACHED', ...right },
              { header: 'COMPLETION', ...right },
              { header: 'REASONING', ...right },
              { header: 'COST USD', ...right },
            ],
            body,
            { headerStyle: colors.dim },
          ),
        );
      });
    });
}

function describe(flags: UsageFlags): string {
  const parts: string[] = [];
  if (flags.day != null) parts.push(`on ${flags.day}`);
  if (flags.days != null) parts.push(`in the last ${flags.days === 1 ? 'day' : `${flags.days} days`}`);
  if (flags.client != null) parts.push(`for client ${flags.client}`);
  if (flags.model != null) parts.push(`for ${flags.model}`);
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}
