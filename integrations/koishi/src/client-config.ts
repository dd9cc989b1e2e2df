import { join, resolve } from 'node:path';
import type { Config, ProviderEntry } from './config';
import type { Library as FullLibrary, LLMConfig, Logger, ProviderConfig } from './library-types';

/** The parts of the library this module uses (it is loaded with `import()`: ESM from CommonJS). */
export type Library = Pick<FullLibrary, 'loadConfig' | 'LLMError'>;

/** Where the key state of the plugin's client lives: `<baseDir>/data/switchboard/key-state.json`. */
export function keyStatePath(baseDir: string): string {
  return join(baseDir, 'data', 'switchboard', 'key-state.json');
}

function present(value: string | undefined): value is string {
  return value != null && value.trim() !== '';
}

function providerConfigOf(entry: ProviderEntry): ProviderConfig {
  const provider: ProviderConfig = {
    name: entry.name,
    apiType: entry.apiType as ProviderConfig['apiType'],
    apiKeys: entry.apiKeys,
    models: entry.models,
  };
  if (present(entry.apiBase)) provider.apiBase = entry.apiBase;
  if (present(entry.proxy)) provider.proxy = entry.proxy;
  return provider;
}

/**
 * The client configuration of the plugin's config: the `configPath` file (read with `loadConfig`, relative
 * to `baseDir`) or the inline `providers`; with the plugin's `locale`, Koishi's logger, `defaultModel` when
 * set, and — unless the file chooses a `keyStore` — key state in a file under Koishi's data directory.
 * @throws LLMError `CONFIGURATION_ERROR` (with `details.issues`) when both or neither source is given, or
 *   the file cannot be read.
 */
export async function clientConfigOf(
  config: Config,
  options: { baseDir: string; logger: Logger; lib: Library },
): Promise<LLMConfig> {
  const { baseDir, lib } = options;
  const hasFile = present(config.configPath);
  const providers = config.providers ?? [];
  if (hasFile === providers.length > 0) {
    const issue = hasFile
      ? { path: 'configPath', message: 'set together with providers: use one of them' }
      : { path: 'providers', message: 'required (or set configPath)' };
    throw new lib.LLMError('CONFIGURATION_ERROR', `${issue.path}: ${issue.message}`, {
      details: { issues: [issue] },
    });
  }
  const base: LLMConfig = hasFile
    ? await lib.loadConfig(resolve(baseDir, config.configPath as string), { cwd: baseDir })
    : { providers: providers.map(providerConfigOf) };
  const client: LLMConfig = {
    ...base,
    locale: config.locale,
    logger: options.logger,
    keyStore: base.keyStore ?? { type: 'file', path: keyStatePath(baseDir) },
  };
  if (present(config.defaultModel)) client.defaultModel = config.defaultModel;
  return client;
}
