import type { LLMCost, LLMUsage, ModelUsageTotals, UsageTotals } from '../spec/index.js';

interface Totals {
  calls: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  inputUsd: number;
  outputUsd: number;
  priced: boolean;
}

/** `llm.usage()`: in-process totals by model, updated once per call (failed calls count as errors). */
export class UsageAccumulator {
  private readonly byModel = new Map<string, Totals>();

  record(model: string, usage: LLMUsage | undefined, cost: LLMCost | undefined, failed: boolean): void {
    let totals = this.byModel.get(model);
    if (totals === undefined) {
      totals = {
        calls: 0,
        errors: 0,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        cachedTokens: 0,
        reasoningTokens: 0,
        inputUsd: 0,
        outputUsd: 0,
        priced: false,
      };
      this.byModel.set(model, totals);
    }
    totals.calls++;
    if (failed) totals.errors++;
    if (usage != null) {
      totals.promptTokens += usage.promptTokens;
      totals.completionTokens += usage.completionTokens;
      totals.totalTokens += usage.totalTokens;
      totals.cachedTokens += usage.cachedTokens ?? 0;
      totals.reasoningTokens += usage.reasoningTokens ?? 0;
    }
    if (cost != null) {
      totals.priced = true;
      totals.inputUsd += cost.inputUsd;
      totals.outputUsd += cost.outputUsd;
    }
  }

  /** A copy of the totals, by `"Provider/model"`; `cost` on models with pricing (`isPriced`). */
  snapshot(isPriced: (model: string) => boolean): UsageTotals {
    const out: UsageTotals = {};
    for (const [model, totals] of this.byModel) {
      const entry: ModelUsageTotals = {
        calls: totals.calls,
        errors: totals.errors,
        promptTokens: totals.promptTokens,
        completionTokens: totals.completionTokens,
        totalTokens: totals.totalTokens,
        cachedTokens: totals.cachedTokens,
        reasoningTokens: totals.reasoningTokens,
      };
      if (totals.priced || isPriced(model)) {
        entry.cost = {
          inputUsd: totals.inputUsd,
          outputUsd: totals.outputUsd,
          totalUsd: totals.inputUsd + totals.outputUsd,
        };
      }
      out[model] = entry;
    }
    return out;
  }
}
