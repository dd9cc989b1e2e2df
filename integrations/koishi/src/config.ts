import { Schema } from 'koishi';

/** One provider configured inline (API.md §1's field names). */
export interface ProviderEntry {
  /** Unique name, used in `"Provider/model"`. @example 'OpenAI' */
  name: string;
  /** Wire dialect (API.md §1). @default 'openai' @example 'gemini' */
  apiType: string;
  /** Absolute http(s) base URL. @default the apiType's official endpoint @example 'https://api.deepseek.com' */
  apiBase?: string;
  /** API keys, rotated as a pool (API.md §6). @example ['sk-…'] */
  apiKeys: string[];
  /** Model names served by this provider. @example ['gpt-4o-mini'] */
  models: string[];
  /** http(s) proxy URL for this provider. @default none */
  proxy?: string;
}

/** The plugin's configuration (`koishi.yml` under `plugins: switchboard:`). */
export interface Config {
  /**
   * A `switchboard.yaml`/`.json` (API.md §1, `${ENV}` references expanded), relative to Koishi's directory.
   * Use it or `providers`, not both. @example 'switchboard.yaml'
   */
  configPath?: string;
  /** Providers, inline (instead of `configPath`). @default [] */
  providers: ProviderEntry[];
  /** `"Provider/model"` used by `ask` and other plugins' calls. @default the first chat model (or the file's) */
  defaultModel?: string;
  /** Language of error messages and of the plugin's replies. @default 'en' */
  locale: 'en' | 'zh';
  /** Group lines said before an `ask` are given to it as context (observations). @default false */
  observeGroups: boolean;
  /** Koishi authority needed by the admin commands (`llm.reset-key`, `llm.keys`, `llm.test`, setting `llm.default`). @default 3 */
  adminAuthority: number;
}

const API_TYPES = [
  'openai',
  'gemini',
  'anthropic',
  'deepseek',
  'zhipu',
  'ark',
  'openrouter',
  'openai_responses',
  'openai_image',
  'nano_banana',
  'smart',
] as const;

const ProviderEntry: Schema<ProviderEntry> = Schema.object({
  name: Schema.string().description('Provider name, used in "Provider/model".').required(),
  apiType: Schema.union([...API_TYPES, Schema.string()])
    .default('openai')
    .description('Wire dialect (or a type added with registerProvider).'),
  apiBase: Schema.string().role('link').description('Base URL; empty: the official endpoint of the type.'),
  apiKeys: Schema.array(Schema.string().role('secret'))
    .default([])
    .description('API keys, used as a pool (cooldowns, failover).'),
  models: Schema.array(Schema.string()).default([]).description('Model names.'),
  proxy: Schema.string().role('link').description('http(s) proxy for this provider.'),
});

export const Config: Schema<Config> = Schema.intersect([
  Schema.object({
    configPath: Schema.string().description(
      'Path to a switchboard.yaml, relative to the Koishi directory. Leave empty to configure providers here.',
    ),
    providers: Schema.array(ProviderEntry).default([]).description('Providers (instead of configPath).'),
    defaultModel: Schema.string().description('Default "Provider/model" (empty: the first chat model).'),
  }).description('Models'),
  Schema.object({
    locale: Schema.union(['en', 'zh'] as const)
      .default('en')
      .description('Language of error messages and replies.'),
    observeGroups: Schema.boolean()
      .default(false)
      .description('Give ask the group lines said before it (as observations).'),
    adminAuthority: Schema.natural()
      .max(5)
      .default(3)
      .description('Authority needed by llm.keys, llm.reset-key, llm.test and setting llm.default.'),
  }).description('Behaviour'),
]) as Schema<Config>;
