import { LLMError } from '../errors/llm-error.js';
import { type ConfigIssue, formatPath, suggestKey } from './config-issues.js';
import { ownValue, setOwn } from './own-keys.js';

type Path = (string | number)[];
type Convert = 'value' | 'number' | 'seconds' | 'boolean' | 'keys' | 'drop' | 'camel';
type Special = 'providers' | 'clientSettings' | 'retry' | 'keyStore' | 'debugLog' | 'models' | 'capabilities';

/** Where a file key goes: a target path relative to the object being built, and how its value converts. */
type Field = { target: string[]; convert: Convert } | { special: Special; target: string[] };

const field = (target: string, convert: Convert = 'value'): Field => ({ target: target.split('.'), convert });
const special = (name: Special, target: string): Field => ({ special: name, target: target.split('.') });

const RETRY_FIELDS: Record<string, Field> = {
  maxretries: field('retry.maxRetries', 'number'),
  retrydelay: field('retry.baseDelayMs', 'seconds'),
  basedelayms: field('retry.baseDelayMs', 'number'),
  maxdelay: field('retry.maxDelayMs', 'seconds'),
  maxdelayms: field('retry.maxDelayMs', 'number'),
};

const CLIENT_FIELDS: Record<string, Field> = {
  ...RETRY_FIELDS,
  timeout: field('timeoutMs', 'seconds'),
  timeoutms: field('timeoutMs', 'number'),
  structuredretries: field('structuredRetries', 'number'),
  maxtoolrounds: field('maxToolRounds', 'number'),
  proxy: field('proxy'),
};

/** How the keys of the groups checked here are spelled in suggestions. */
const CLIENT_KEY_NAMES = [
  'timeout',
  'max_retries',
  'retry_delay',
  'max_delay',
  'structured_retries',
  'max_tool_rounds',
  'proxy',
];
const RETRY_KEY_NAMES = ['maxRetries', 'baseDelayMs', 'maxDelayMs'];

const ROOT_FIELDS: Record<string, Field> = {
  ...CLIENT_FIELDS,
  // A top-level `timeout` has no unit in either layout: it is left for validation to flag as unknown.
  timeout: field('timeout'),
  providers: special('providers', 'providers'),
  defaultmodel: field('defaultModel'),
  defaultmodelname: field('defaultModel'),
  defaultembeddingmodel: field('defaultEmbeddingModel'),
  defaultembeddingmodelname: field('defaultEmbeddingModel'),
  clientsettings: special('clientSettings', ''),
  retry: special('retry', ''),
  keystore: special('keyStore', 'keyStore'),
  debuglog: special('debugLog', 'debugLog'),
  locale: field('locale'),
  geminisafetythreshold: field('geminiSafetyThreshold'),
  maxresponsebytes: field('maxResponseBytes', 'number'),
  // Groups added after the seed: their keys in any spelling (`fallback_on`, `budget_usd_per_day`, …).
  fetchremotemedia: field('fetchRemoteMedia', 'camel'),
  routes: field('routes', 'camel'),
  telemetry: field('telemetry', 'camel'),
  gateway: field('gateway', 'camel'),
};

const PROVIDER_FIELDS: Record<string, Field> = {
  name: field('name'),
  apitype: field('apiType'),
  apikey: field('apiKeys', 'keys'),
  apikeys: field('apiKeys', 'keys'),
  apibase: field('apiBase'),
  baseurl: field('apiBase'),
  timeout: field('timeoutMs', 'seconds'),
  timeoutms: field('timeoutMs', 'number'),
  proxy: field('proxy'),
  headers: field('headers'),
  models: special('models', 'models'),
  // Provider-level request defaults, handed to its models that have none (seed §14.4 #21).
  temperature: field('#temperature', 'number'),
  maxtokens: field('#maxTokens', 'number'),
  openaicompat: field('', 'drop'),
};

const MODEL_FIELDS: Record<string, Field> = {
  name: field('name'),
  modelname: field('name'),
  model: field('name'),
  apitype: field('apiType'),
  endpoint: field('endpoint'),
  embedding: field('embedding', 'boolean'),
  isembeddingmodel: field('embedding', 'boolean'),
  temperature: field('temperature', 'number'),
  maxtokens: field('maxTokens', 'number'),
  contextwindow: field('contextWindow', 'number'),
  capabilities: special('capabilities', 'capabilities'),
  isavailable: field('available', 'boolean'),
  available: field('available', 'boolean'),
  unavailablereason: field('unavailableReason'),
  pricing: field('pricing', 'camel'),
};

const CAPABILITY_FIELDS: Record<string, Field> = Object.fromEntries(
  [
    'inputModalities',
    'outputModalities',
    'toolCalling',
    'embedding',
    'reasoningMode',
    'reasoningVisibility',
    'jsonSchema',
    'nativeTools',
    'requiresThoughtSignatures',
  ].map((name) => [normKey(name), field(name)]),
);

const DEBUG_FIELDS: Record<string, Field> = {
  showtools: field('showTools', 'boolean'),
  showschema: field('showSchema', 'boolean'),
  showsafety: field('showSafety', 'boolean'),
};

const KEY_STORE_FIELDS: Record<string, Field> = {
  type: field('type'),
  path: field('path'),
  url: field('url'),
  prefix: field('prefix'),
};

/** A file's content in `LLMConfig` form, the problems found converting it, and the way back to file paths. */
export interface LayoutResult {
  config: unknown;
  issues: ConfigIssue[];
  /** `providers[1].apiKeys[0]` → `AI.PROVIDERS[1].api_key[0]` (the path as written in the file). */
  sourcePathOf(path: string): string;
}

/**
 * Converts a parsed config file to `LLMConfig`: camelCase, snake_case and the seed's layout (a top-level
 * `AI:` group with `PROVIDERS`, `DEFAULT_MODEL_NAME`, `CLIENT_SETTINGS` in seconds, `DEBUG_LOG`, …) are all
 * accepted; keys match ignoring case, `_` and `-`. `null` means "not set". Seconds become milliseconds,
 * numeric and boolean strings (from `${ENV}`) become numbers and booleans, a comma-separated key string
 * becomes a key list. Keys it does not know are kept, so validation reports them.
 */
export function fromFileLayout(raw: unknown): LayoutResult {
  const paths = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  const sourcePathOf = (path: string) => {
    for (let end = path.length; end > 0; end--) {
      const prefix = path.slice(0, end);
      const next = path[end];
      if ((end === path.length || next === '.' || next === '[') && paths.has(prefix)) {
        return (paths.get(prefix) ?? '') + path.slice(end);
      }
    }
    return path;
  };
  const record = asRecord(raw);
  if (record === undefined) return { config: raw, issues, sourcePathOf };
  const groupKey = Object.keys(record).find(
    (key) => normKey(key) === 'ai' && asRecord(ownValue(record, key)) !== undefined,
  );
  const root = groupKey === undefined ? record : (asRecord(ownValue(record, groupKey)) ?? {});
  const ctx: Context = { paths, issues, seedLayout: groupKey !== undefined };
  const config: Record<string, unknown> = {};
  convertFields(ctx, root, groupKey === undefined ? [] : [groupKey], ROOT_FIELDS, config, [], true);
  return { config, issues, sourcePathOf };
}

interface Context {
  paths: Map<string, string>;
  issues: ConfigIssue[];
  seedLayout: boolean;
}

function convertFields(
  ctx: Context,
  source: Record<string, unknown>,
  sourcePath: Path,
  fields: Record<string, Field>,
  target: Record<string, unknown>,
  targetPath: Path,
  keepUnknown: boolean,
  keyNames: readonly string[] = Object.keys(fields),
): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === null || value === undefined) continue;
    const from = [...sourcePath, key];
    const spec = ownValue(fields, normKey(key));
    if (spec === undefined) {
      if (keepUnknown) assign(ctx, target, [key], value, targetPath, from);
      else {
        const hint = suggestKey(key, keyNames);
        ctx.issues.push({
          path: formatPath(from),
          message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`,
        });
      }
      continue;
    }
    if ('special' in spec) {
      convertSpecial(ctx, spec, value, from, target, targetPath);
      continue;
    }
    if (spec.convert === 'drop') continue;
    assign(ctx, target, spec.target, convertValue(value, spec.convert), targetPath, from);
  }
}

function convertSpecial(
  ctx: Context,
  spec: Extract<Field, { special: Special }>,
  value: unknown,
  from: Path,
  target: Record<string, unknown>,
  targetPath: Path,
): void {
  const record = asRecord(value);
  const to = [...targetPath, ...spec.target.filter((part) => part !== '')];
  switch (spec.special) {
    case 'clientSettings':
    case 'retry':
      if (record === undefined) {
        const what = spec.special === 'retry' ? 'retry settings' : 'client settings';
        ctx.issues.push({ path: formatPath(from), message: `must be a mapping of ${what}` });
      } else
        convertFields(
          ctx,
          record,
          from,
          spec.special === 'retry' ? RETRY_FIELDS : CLIENT_FIELDS,
          target,
          targetPath,
          false,
          spec.special === 'retry' ? RETRY_KEY_NAMES : CLIENT_KEY_NAMES,
        );
      return;
    case 'keyStore':
    case 'debugLog':
    case 'capabilities': {
      if (record === undefined) {
        assign(
          ctx,
          target,
          spec.target,
          spec.special === 'debugLog' ? convertValue(value, 'boolean') : value,
          targetPath,
          from,
        );
        return;
      }
      const fields =
        spec.special === 'keyStore'
          ? KEY_STORE_FIELDS
          : spec.special === 'debugLog'
            ? DEBUG_FIELDS
            : CAPABILITY_FIELDS;
      const out: Record<string, unknown> = {};
      convertFields(ctx, record, from, fields, out, to, true);
      assign(ctx, target, spec.target, out, targetPath, from);
      return;
    }
    case 'providers':
    case 'models': {
      if (!Array.isArray(value)) {
        assign(ctx, target, spec.target, value, targetPath, from);
        return;
      }
      const list = value.map((item: unknown, index) =>
        spec.special === 'providers'
          ? convertProvider(ctx, item, [...from, index], [...to, index])
          : convertModel(ctx, item, [...from, index], [...to, index]),
      );
      assign(ctx, target, spec.target, list, targetPath, from);
      return;
    }
    default: {
      const unreachable: never = spec.special;
      throw new LLMError('CONFIGURATION_ERROR', `unhandled config group ${String(unreachable)}`);
    }
  }
}

function convertProvider(ctx: Context, item: unknown, from: Path, to: Path): unknown {
  const record = asRecord(item);
  if (record === undefined) return item;
  const provider: Record<string, unknown> = {};
  convertFields(ctx, record, from, PROVIDER_FIELDS, provider, to, true);
  if (ctx.seedLayout && provider.apiType === undefined) provider.apiType = 'openai'; // the seed's default
  const temperature = provider['#temperature'];
  const maxTokens = provider['#maxTokens'];
  delete provider['#temperature'];
  delete provider['#maxTokens'];
  if ((temperature !== undefined || maxTokens !== undefined) && Array.isArray(provider.models)) {
    provider.models = provider.models.map((model: unknown) => {
      const detail = typeof model === 'string' ? { name: model } : asRecord(model);
      if (detail === undefined) return model;
      const out = { ...detail };
      if (temperature !== undefined && out.temperature === undefined) out.temperature = temperature;
      if (maxTokens !== undefined && out.maxTokens === undefined) out.maxTokens = maxTokens;
      return out;
    });
  }
  return provider;
}

function convertModel(ctx: Context, item: unknown, from: Path, to: Path): unknown {
  const record = asRecord(item);
  if (record === undefined) {
    ctx.paths.set(formatPath(to), formatPath(from));
    return item;
  }
  const model: Record<string, unknown> = {};
  convertFields(ctx, record, from, MODEL_FIELDS, model, to, true);
  return model;
}

/** Sets `target[path]` (creating nested objects), records where it came from, and flags a second source. */
function assign(
  ctx: Context,
  target: Record<string, unknown>,
  path: string[],
  value: unknown,
  targetPath: Path,
  from: Path,
): void {
  const full = formatPath([...targetPath, ...path]);
  const previous = ctx.paths.get(full);
  if (previous !== undefined && previous !== formatPath(from)) {
    ctx.issues.push({ path: formatPath(from), message: `given twice (also as ${previous})` });
    return;
  }
  let node = target;
  for (const part of path.slice(0, -1)) {
    const child = asRecord(ownValue(node, part)) ?? {};
    setOwn(node, part, child);
    node = child;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  setOwn(node, last, value);
  ctx.paths.set(full, formatPath(from));
}

function convertValue(value: unknown, convert: Convert): unknown {
  switch (convert) {
    case 'value':
    case 'drop':
      return value;
    case 'number':
      return toNumber(value);
    case 'seconds': {
      const seconds = toNumber(value);
      return typeof seconds === 'number' ? Math.round(seconds * 1000) : value;
    }
    case 'boolean':
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        return value.trim().toLowerCase() === 'true';
      return value;
    case 'camel':
      return camelKeys(value);
    case 'keys': {
      if (typeof value !== 'string' || !value.includes(',')) return value;
      return value
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== '');
    }
    default: {
      const unreachable: never = convert;
      return unreachable;
    }
  }
}

/**
 * `value` with every object key written with `_` or `-` turned to camelCase, at any depth
 * (`input_per_m_tok` → `inputPerMTok`); other keys and all values unchanged.
 */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  const record = asRecord(value);
  if (record === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) {
    const camel = /[_-]/.test(key)
      ? key.toLowerCase().replace(/[_-]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
      : key;
    setOwn(out, camel, camelKeys(inner));
  }
  return out;
}

function toNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

function normKey(key: string): string {
  return key.replace(/[_-]/g, '').toLowerCase();
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
