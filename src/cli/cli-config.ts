import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILES, loadConfig } from '../config/load-config.js';
import type { KeyStoreConfig, LLMConfig, Locale, Logger } from '../spec/index.js';

/** Where the CLI keeps key health unless the config sets `keyStore`: beside the config file. */
export const DEFAULT_KEY_STATE_FILE = join('.switchboard', 'key-state.json');

/** A loaded configuration and where it came from. */
export interface CliConfig {
  /** The config, with the CLI's defaults applied (file key store, logger, locale). */
  config: LLMConfig;
  /** Absolute path of the config file. */
  file: string;
}

/** What the CLI's config loading takes. */
export interface CliConfigOptions {
  /** `--config FILE`. */
  path?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  /** `--locale`, wins over the file's `locale`. */
  locale?: Locale;
  /** The stderr logger. */
  logger: Logger;
  /** `--debug`: log every attempt's request and response (unless the file sets `debugLog`). */
  debug: boolean;
}

/** The file `loadConfig` would read: `--config`, else `$SWITCHBOARD_CONFIG`, else the first default that exists. */
export function locateConfigFile(
  path: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string | undefined {
  const chosen = path ?? (env.SWITCHBOARD_CONFIG?.trim() || undefined);
  if (chosen != null) return resolve(cwd, chosen);
  return DEFAULT_CONFIG_FILES.map((name) => resolve(cwd, name)).find((file) => existsSync(file));
}

/**
 * Loads the config like `loadConfig` (every problem by path in one `CONFIGURATION_ERROR`; a missing file
 * explains how to create one), then applies the CLI's defaults: key health in a file under `.switchboard/`
 * beside the config (a relative `keyStore.path` is resolved against the config's directory too), the stderr
 * logger and `--locale`.
 */
export async function loadCliConfig(options: CliConfigOptions): Promise<CliConfig> {
  const located = locateConfigFile(options.path, options.env, options.cwd);
  const raw = await loadConfig(located, { env: options.env, cwd: options.cwd });
  const file = located ?? resolve(options.cwd, DEFAULT_CONFIG_FILES[0]);
  const config: LLMConfig = {
    ...raw,
    keyStore: keyStoreFor(raw.keyStore, dirname(file)),
    logger: options.logger,
  };
  if (options.locale != null) config.locale = options.locale;
  if (options.debug && raw.debugLog == null) config.debugLog = true;
  return { config, file };
}

function keyStoreFor(store: KeyStoreConfig | undefined, dir: string): KeyStoreConfig {
  if (store == null) return { type: 'file', path: join(dir, DEFAULT_KEY_STATE_FILE) };
  if (typeof store === 'object' && store.type === 'file' && !isAbsolute(store.path)) {
    return { type: 'file', path: resolve(dir, store.path) };
  }
  return store;
}
