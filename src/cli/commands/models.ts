import type { Command } from 'commander';
import type { LLM } from '../../client/llm.js';
import type { ModelInfo } from '../../spec/index.js';
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

/** `switchboard models`: the configured models, their kind and key capabilities; the default marked `*`. */
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
  const rows: Cell[][] = models.map((model) => {
    const caps = model.capabilities;
    const isDefault = model.name === defaultName;
    return [
      isDefault ? { text: `* ${model.name}`, style: colors.bold } : `  ${model.name}`,
      model.kind,
      // A route has no dialect of its own: its strategy instead (`switchboard models --json` lists its targets).
      model.kind === 'route' ? (model.strategy ?? '-') : model.apiType,
      yesNo(caps.toolCalling),
      caps.reasoningMode === 'none' ? '-' : caps.reasoningMode,
      yesNo(caps.jsonSchema),
      caps.inputModalities.join(','),
    ];
  });
  return renderTable(
    [
      { header: '  MODEL', maxWidth: 60 },
      { header: 'KIND' },
      { header: 'API TYPE' },
      { header: 'TOOLS' },
      { header: 'REASONING' },
      { header: 'JSON SCHEMA' },
      { header: 'INPUT' },
    ],
    rows,
    { headerStyle: colors.dim },
  );
}
