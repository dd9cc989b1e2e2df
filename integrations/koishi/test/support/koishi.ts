// Loads Koishi and the plugin the way Koishi's loader does: with require() (CommonJS). Koishi 4.18's ESM
// entry does not load in plain Node ("Class extends value …"), and the plugin is shipped as CommonJS in
// lib/ — so the tests use the built plugin (run `npm run build` at the repository root first).
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageClient } from '@koishijs/plugin-mock';
import type { Context, ForkScope } from 'koishi';
import type { Config } from '../../src/config';
import type * as Plugin from '../../src/index';
import { fakeDatabase } from './fake-database';

const require = createRequire(import.meta.url);

/** The package directory (`integrations/koishi`). */
export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** The built plugin, as Koishi's loader `require()`s it. */
export const PLUGIN_ENTRY = join(PACKAGE_DIR, 'lib', 'index.js');

export const koishi: typeof import('koishi') = require('koishi');
const mock: typeof import('@koishijs/plugin-mock') = require('@koishijs/plugin-mock');

/** `require()`s the built plugin (a clear error when it was not built). */
export function loadPlugin(): typeof Plugin {
  if (!existsSync(PLUGIN_ENTRY)) {
    throw new Error(`${PLUGIN_ENTRY} is missing: run \`npm run build\` at the repository root first`);
  }
  return require(PLUGIN_ENTRY);
}

/** `require()`s one built module of the plugin (`elements-to-parts`, `channel-log`, …). */
export function loadModule<T>(name: string): T {
  loadPlugin();
  return require(join(PACKAGE_DIR, 'lib', `${name}.js`)) as T;
}

/** A log line Koishi recorded. */
export interface LogLine {
  name: string;
  type: string;
  content: string;
}

/** A running Koishi app with the mock adapter and the plugin. */
export interface Bot {
  app: Context;
  fork: ForkScope;
  baseDir: string;
  /** Everything logged through Koishi while the bot ran. */
  logs: LogLine[];
  /** A mock user in a group channel (`channelId`) or, without it, in a direct chat. */
  client(userId: string, channelId?: string): MessageClient;
  /** Gives a mock user a Koishi authority (needs `database: true`). */
  setAuthority(userId: string, authority: number): Promise<void>;
  /** Disposes the plugin and forgets the log target. */
  dispose(): void;
}

/** Options of `startBot`. */
export interface BotOptions {
  /** Provide an in-memory `database` (Koishi then knows user authorities). @default false */
  database?: boolean;
}

/** Starts an app: the mock adapter, optionally a database, and the plugin with `config`. */
export async function startBot(config: Partial<Config>, options: BotOptions = {}): Promise<Bot> {
  const plugin = loadPlugin();
  const baseDir = mkdtempSync(join(tmpdir(), 'koishi-switchboard-'));
  const logs: LogLine[] = [];
  const target = {
    colors: 0,
    record: (record: LogLine) => logs.push({ name: record.name, type: record.type, content: record.content }),
  };
  koishi.Logger.targets.push(target);
  const app = new koishi.App();
  // The instance directory (Koishi's CLI runs there, so it is the working directory); key state goes under data/.
  app.baseDir = baseDir;
  const database = fakeDatabase();
  if (options.database === true) app.set('database', database);
  app.plugin(mock.default as never);
  // Koishi fills the defaults from the plugin's Config schema.
  const fork = app.plugin(plugin, config as Config);
  await app.start();
  return {
    app,
    fork,
    baseDir,
    logs,
    client: (userId, channelId) => app.mock.client(userId, channelId),
    setAuthority: (userId, authority) => database.setAuthority('mock', userId, authority),
    dispose: () => {
      fork.dispose();
      const index = koishi.Logger.targets.indexOf(target);
      if (index >= 0) koishi.Logger.targets.splice(index, 1);
    },
  };
}

/** The inline provider config of a fake provider. */
export function fakeProvider(apiBase: string, apiKeys: string[] = ['test-key-1']) {
  return { name: 'Fake', apiType: 'openai', apiBase, apiKeys, models: ['fake-model'] };
}

/** Asks and returns the first reply ('' when none). */
export async function replyTo(client: MessageClient, message: string): Promise<string> {
  const replies = await client.receive(message);
  return replies[0] ?? '';
}
