import type { Command } from 'commander';
import type { LLM } from '../../client/llm.js';
import type { ModelInfo, ModelPricing } from '../../spec/index.js';
import type { CliContext } from '../cli-context.js';
import { type Cell, renderTable } from '../table.js';

/** The default chat model, or `undefined` when none is configured (an embedding-only config). */
function defaultOf(llm: LLM): string | undefined {
  try {
    return llm.models.getDefault();
  } catch {
    return undefined;
  }
}

const yesNo = (value: boolean) => (value ? 'yes' : '-');

/** A price in USD per million tokens, as short as it is exact (`0.15`, `2.5`). */
const usd = (value: number) => `$${Number(value.toPrecision(6))}`;

/** `$0.15 ($0.075 cached)`: the input price, with the cached one when configured. */
function inputPrice(pricing: ModelPricing | undefined): string {
  if (pricing == null) return '-';
  const cached = pricing.cachedInputPerMTok;
  return cached != null ? `${usd(pricing.inputPerMTok)} (${usd(cached)} cached)` : usd(pricing.inputPerMTok);
}

/** `yes`, or `no` with the configured reason (a route is available while any of its targets is). */
function availability(model: ModelInfo): string {
  if (model.available) return 'yes';
  return model.unavailableReason != null ? `no: ${model.unavailableReason}` : 'no';
}

/**
 * `switchboard models`: the configured models, their kind and key capabilities; the default marked `*`; the
 * prices (USD per million tokens) when any model has `pricing`; an AVAILABLE column (with the reason) when any
 * model is configured `available: false`.
 */
export function registerModels(program: Command, ctx: CliContext): void {
  program
    .command('models')
    .description('list the configured models with their kind and capabilities (* = default)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await ctx.withClient(async (llm) => {
        const models = llm.models.list();
        const defaultName = defaultOf(llm);
        if (flags.json === true) {
          ctx.out.json(models.map((model) => ({ ...model, default: model.name === defaultName })));
          return;
        }
        ctx.out.write(modelsTable(models, defaultName, ctx));
      });
    });
}

function modelsTable(models: readonly ModelInfo[], defaultName: string | undefined, ctx: CliContext): string {
  const { colors } = ctx.out;
  const priced = models.some((model) => model.pricing != null);
  const someUnavailable = models.some((model) => !model.available);
  const rows: Cell[][] = models.map((model) => {
    const caps = model.capabilities;
    const isDefault = model.name === defaultName;
    const row: Cell[] = [
      isDefault ? { text: `* ${model.name}`, style: colors.bold } : `  ${model.name}`,
      model.kind,
      // A route has no dialect of its own: its strategy instead (`switchboard models --json` lists its targets).
      model.kind === 'route' ? (model.strategy ?? '-') : model.apiType,
      yesNo(caps.toolCalling),
      caps.reasoningMode === 'none' ? '-' : caps.reasoningMode,
      yesNo(caps.jsonSchema),
      caps.inputModalities.join(','),
    ];
    if (priced) {
      row.push(inputPrice(model.pricing), model.pricing != null ? usd(model.pricing.outputPerMTok) : '-');
    }
    if (someUnavailable) row.push(availability(model));
    return row;
  });
  const columns = [
    { header: '  MODEL', maxWidth: 60 },
    { header: 'KIND' },
    { header: 'API TYPE' },
    { header: 'TOOLS' },
    { header: 'REASONING' },
    { header: 'JSON SCHEMA' },
    { header: 'INPUT' },
  ];
  if (priced) columns.push({ header: 'IN /MTOK' }, { header: 'OUT /MTOK' });
  if (someUnavailable) columns.push({ header: 'AVAILABLE', maxWidth: 40 });
  return renderTable(columns, rows, { headerStyle: colors.dim });
}
