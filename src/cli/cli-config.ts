import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILES, loadConfig } from '../config/load-config.js';
import type { KeyStoreConfig, LLMConfig, Locale, Logger } from '../spec/index.js';

/**
 * Where the CLI keeps key health unless the config sets `keyStore`: under `.switchboard/` beside the config,
 * named after the config file, so two configs in one folder never share key state.
 * @example defaultKeyStateFile('/srv/bot/switchboard.yaml') // '/srv/bot/.switchboard/switchboard.yaml.keys.json'
 */
export function defaultKeyStateFile(configFile: string): string {
  return join(dirname(configFile), '.switchboard', `${basename(configFile)}.keys.json`);
}

/** The one state file earlier versions used for every config of a folder (read to seed the new one). */
export const LEGACY_KEY_STATE_FILE = join('.switchboard', 'key-state.json');

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
 * explains how to create one), then applies the CLI's defaults: key health in `defaultKeyStateFile(file)`
 * (a relative `keyStore.path` is resolved against the config's directory), the stderr logger and `--locale`.
 */
export async function loadCliConfig(options: CliConfigOptions): Promise<CliConfig> {
  const located = locateConfigFile(options.path, options.env, options.cwd);
  const raw = await loadConfig(located, { env: options.env, cwd: options.cwd });
  const file = located ?? resolve(options.cwd, DEFAULT_CONFIG_FILES[0]);
  const config: LLMConfig = {
    ...raw,
    keyStore: keyStoreFor(raw.keyStore, file),
    logger: options.logger,
  };
  if (options.locale != null) config.locale = options.locale;
  if (options.debug && raw.debugLog == null) config.debugLog = true;
  return { config, file };
}

function keyStoreFor(store: KeyStoreConfig | undefined, configFile: string): KeyStoreConfig {
  if (store == null) {
    const path = defaultKeyStateFile(configFile);
    seedFromLegacy(path, join(dirname(configFile), LEGACY_KEY_STATE_FILE));
    return { type: 'file', path };
  }
  if (typeof store === 'object' && store.type === 'file' && !isAbsolute(store.path)) {
    return { type: 'file', path: resolve(dirname(configFile), store.path) };
  }
  return store;
}

// Upgrading keeps what the shared file knew (disabled keys, cooldowns, counters): each config starts from a
// copy of it, then keeps its own. The old file is left in place for the folder's other configs.
function seedFromLegacy(path: string, legacy: string): void {
  if (existsSync(path) || !existsSync(legacy)) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(legacy, path);
  } catch {
    // Unreadable or unwritable: the store starts clean and warns when it cannot write, as for a new file.
  }
}
