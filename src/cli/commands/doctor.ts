import { type Command, Option } from 'commander';
import { LLMError } from '../../errors/llm-error.js';
import { loadUndici } from '../../http/load-undici.js';
import { keyIdsOf } from '../../util/key-id.js';
import type { CliConfig } from '../cli-config.js';
import type { CliContext } from '../cli-context.js';
import type { ProbeResult } from '../doctor-probe.js';
import { createLimiter } from '../limiter.js';
import { positiveInt, secondsToMs } from '../parse-options.js';
import { plural, textWidth } from '../text-width.js';

interface DoctorFlags {
  timeout: number;
  concurrency: number;
  json?: boolean;
}

/** `switchboard doctor`: validates the config, then probes every key of every provider on its own. */
export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('validate the config, then probe every key of every provider separately')
    .addOption(
      new Option('--timeout <seconds>', 'time limit of each probe')
        .argParser(secondsToMs)
        .default(15_000, '15'),
    )
    .option('--concurrency <n>', 'probes at a time', positiveInt, 4)
    .option('--json', 'print JSON')
    .action(async (flags: DoctorFlags) => {
      const loaded = await loadOrReport(ctx, flags.json === true);
      if (loaded == null) return;
      const results = await probeAll(ctx, loaded, flags);
      const broken = results.filter((result) => result.broken).length;
      if (broken > 0) ctx.exitCode = 1;
      if (flags.json === true) {
        ctx.out.json({ config: { file: loaded.file, ok: true }, keys: results, ok: broken === 0 });
        return;
      }
      const count = (status: string) => results.filter((result) => result.status === status).length;
      const others = results.length - count('ok') - count('skipped') - broken;
      const parts = [`${count('ok')} ok`];
      if (broken > 0) parts.push(`${broken} broken`);
      if (others > 0) parts.push(`${others} rate-limited`);
      if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
      const summary = `${plural(results.length, 'key')}: ${parts.join(', ')}`;
      const { colors } = ctx.out;
      ctx.out.line(broken > 0 ? colors.red(summary) : colors.green(summary));
    });
}

/** The config, or `undefined` after printing every problem by path (exit 1). A missing file is thrown. */
async function loadOrReport(ctx: CliContext, json: boolean): Promise<CliConfig | undefined> {
  const { out } = ctx;
  try {
    const loaded = await ctx.loadConfig();
    if (!json) {
      const { resolveConfig } = await import('../../config/resolve-config.js');
      const resolved = resolveConfig(loaded.config);
      const models = resolved.providers.reduce((sum, provider) => sum + provider.models.length, 0);
      out.line(
        `${out.colors.green('✓')} config ${loaded.file}: ${plural(resolved.providers.length, 'provider')}, ${plural(models, 'model')}`,
      );
    }
    return loaded;
  } catch (error) {
    const issues = LLMError.isInstance(error)
      ? (error.details?.issues as { path: string; message: string }[] | undefined)
      : undefined;
    if (issues == null || issues.length === 0) throw error;
    ctx.exitCode = 1;
    const file = (error as LLMError).details?.file;
    if (json) {
      out.json({ config: { file, ok: false, issues }, keys: [], ok: false });
      return undefined;
    }
    out.line(out.colors.red(`✗ config ${file ?? ''}: ${plural(issues.length, 'problem')}`));
    for (const issue of issues)
      out.line(`  ${issue.path === '' ? '(config)' : issue.path}: ${issue.message}`);
    return undefined;
  }
}

async function probeAll(ctx: CliContext, loaded: CliConfig, flags: DoctorFlags): Promise<ProbeResult[]> {
  // Imported when the command runs: `switchboard --help` and the other commands never load the client. The
  // HTTP client too, which the first request would otherwise load inside the first probe's limit and latency.
  const [{ resolveConfig }, { probeKey, probeTargetOf }] = await Promise.all([
    import('../../config/resolve-config.js'),
    import('../doctor-probe.js'),
    loadUndici(),
  ]);
  const resolved = resolveConfig(loaded.config);
  const limit = createLimiter(flags.concurrency);
  const jobs = resolved.providers.flatMap((provider, index) => {
    const target = probeTargetOf(provider, index);
    const ids = keyIdsOf(provider.apiKeys);
    return provider.apiKeys.map((key, keyIndex) => {
      const keyId = ids[keyIndex]!;
      return {
        provider: provider.name,
        keyId,
        result: limit(() => probeKey(loaded.config, target, { key, keyId }, flags.timeout, ctx.signal)),
      };
    });
  });
  const widths = {
    provider: Math.max(...jobs.map((job) => textWidth(job.provider))),
    keyId: Math.max(...jobs.map((job) => textWidth(job.keyId))),
  };
  if (flags.json !== true) {
    ctx.out.line(`probing ${plural(jobs.length, 'key')} (timeout ${flags.timeout / 1000} s each)`);
  }
  const results: ProbeResult[] = [];
  // Printed in config order as soon as each result and those before it are in.
  for (const job of jobs) {
    const result = await job.result;
    results.push(result);
    if (flags.json !== true) ctx.out.line(probeLine(ctx, result, widths));
  }
  return results;
}

const STATUS_WIDTH = 'location-not-supported'.length;

function probeLine(
  ctx: CliContext,
  result: ProbeResult,
  widths: { provider: number; keyId: number },
): string {
  const { colors } = ctx.out;
  const skipped = result.status === 'skipped';
  const mark =
    result.status === 'ok'
      ? colors.green('✓')
      : result.broken
        ? colors.red('✗')
        : skipped
          ? colors.dim('-')
          : colors.yellow('!');
  const paint =
    result.status === 'ok' ? colors.green : result.broken ? colors.red : skipped ? colors.dim : colors.yellow;
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - textWidth(text)));
  let note: string;
  if (result.status === 'ok') {
    note = `${result.model ?? ''} (${result.probe}, ${result.latencyMs ?? 0} ms)${result.message != null ? ` ${result.message}` : ''}`;
  } else {
    note = result.message ?? '';
    if (ctx.debug && result.detail != null) note += `\n      ${result.detail}`;
  }
  return `  ${mark} ${pad(result.provider, widths.provider)}  ${pad(result.keyId, widths.keyId)}  ${paint(pad(result.status, STATUS_WIDTH))}  ${note}`.trimEnd();
}
