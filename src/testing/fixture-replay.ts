import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LLMError } from '../errors/llm-error.js';
import { packageInfo } from '../util/package-info.js';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import { statusFromErrorBody } from './error-status.js';
import { copyFaults } from './reply-options.js';
import type { FixtureReply, ReplyHeaders, SseReply, TextReply } from './reply-types.js';
import { rawSse, sseEvent } from './sse-items.js';

/** Where relative fixture paths resolve by default: `<package root>/fixtures/providers`. */
export const DEFAULT_FIXTURES_DIR = join(packageInfo().root, 'fixtures', 'providers');

/** Headers a replay must not copy: the loopback server computes them (SOURCES.md replay rules). */
const HOP_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

/** Per-server replay state: fixtures directory and the next interaction of each multi-interaction file. */
export interface FixtureState {
  fixturesDir: string;
  nextInteraction: Map<string, number>;
}

/** A fixture resolved to a plain reply (without `delayMs`; the caller has already waited). */
export type ReplayedReply = TextReply | SseReply;

function resolvePath(fixture: string | URL, fixturesDir: string): string {
  if (fixture instanceof URL) return fileURLToPath(fixture);
  if (fixture.startsWith('file:')) return fileURLToPath(fixture);
  return isAbsolute(fixture) ? fixture : join(fixturesDir, fixture);
}

/** Splits a verbatim event-stream body into event blocks (each keeps its separator), for the fault knobs. */
function rawBlocks(text: string): SseReply['sse'] {
  return text.split(/(?<=\r\n\r\n|\n\n)/).map(rawSse);
}

/** A `*.sse.txt` / `*.txt` body: verbatim; a body that is one JSON error object gets the status it implies. */
function eventStreamFileReply(text: string): ReplayedReply {
  const status = statusFromErrorBody(text.trim());
  if (status !== 200) return { text, status, contentType: 'text/event-stream' };
  return {
    sse: rawBlocks(text),
    framing: 'lf',
    done: false,
    headers: { 'content-type': 'text/event-stream' },
  };
}

/** The `type` of a chunk line, for Anthropic's `event:` lines (`message` when the line has none). */
function eventTypeOf(line: string): string {
  const parsed = safeParseJson(line);
  return parsed.ok && isRecord(parsed.value) && typeof parsed.value.type === 'string'
    ? parsed.value.type
    : 'message';
}

function chunksReply(text: string, dialect: ChunksDialect): ReplayedReply {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const headers = { 'content-type': 'text/event-stream' };
  if (dialect === 'anthropic') {
    // Anthropic framing: `event: <payload.type>` + the line verbatim, no [DONE] (SOURCES.md).
    return {
      sse: lines.map((line) => sseEvent(eventTypeOf(line), line)),
      framing: 'lf',
      done: false,
      headers,
    };
  }
  const gemini = dialect === 'gemini';
  return { sse: lines, framing: gemini ? 'crlf' : 'lf', done: !gemini, headers };
}

type ChunksDialect = NonNullable<FixtureReply['dialect']>;

/** The framing of a `*.chunks.txt` by its folder: `gemini/`, `vertex/` → Gemini; `anthropic/` → Anthropic. */
function chunksDialectOf(segments: readonly string[]): ChunksDialect {
  if (segments.includes('gemini') || segments.includes('vertex')) return 'gemini';
  // The parent folder only: a checkout may itself live under a directory named `anthropic`.
  if (segments.at(-2) === 'anthropic') return 'anthropic';
  return 'openai';
}

function recordedHeaders(headers: unknown): ReplyHeaders {
  const result: ReplyHeaders = {};
  if (!isRecord(headers)) return result;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (HOP_HEADERS.has(lower)) continue;
    if (typeof value === 'string') result[lower] = value;
    else if (Array.isArray(value)) result[lower] = value.map(String);
  }
  return result;
}

function pickInteraction(
  file: string,
  count: number,
  requested: number | undefined,
  state: FixtureState,
): number {
  if (requested != null) {
    if (!Number.isInteger(requested) || requested < 0 || requested >= count) {
      throw new Error(`fixture ${file} has ${count} interaction(s); interaction ${requested} does not exist`);
    }
    return requested;
  }
  if (count === 1) return 0;
  const next = state.nextInteraction.get(file) ?? 0;
  state.nextInteraction.set(file, next + 1);
  return next % count;
}

function exchangeReply(
  file: string,
  text: string,
  requested: number | undefined,
  state: FixtureState,
): ReplayedReply {
  const parsed = safeParseJson(text);
  const interactions = parsed.ok && isRecord(parsed.value) ? parsed.value.interactions : undefined;
  if (!Array.isArray(interactions) || interactions.length === 0)
    throw new Error(`fixture ${file} has no interactions`);
  const interaction: unknown = interactions[pickInteraction(file, interactions.length, requested, state)];
  const response = isRecord(interaction) ? interaction.response : undefined;
  if (!isRecord(response)) throw new Error(`fixture ${file}: interaction without a response`);
  const status = typeof response.status === 'number' ? response.status : 200;
  const headers = recordedHeaders(response.headers);
  const contentType = headers['content-type'];
  if (Array.isArray(response.sseEvents)) {
    return { sse: response.sseEvents as object[], framing: 'crlf', done: false, status, headers };
  }
  if (typeof response.body === 'string') {
    if (typeof contentType === 'string' && contentType.includes('event-stream') && status < 300) {
      return { sse: rawBlocks(response.body), framing: 'lf', done: false, status, headers };
    }
    return { text: response.body, status, headers };
  }
  if ('bodyJson' in response) return { text: JSON.stringify(response.bodyJson), status, headers };
  return { text: '', status, headers };
}

const FORMATS = ['.exchange.json', '.chunks.txt', '.sse.txt', '.txt', '.json'];

/**
 * Checks a fixture reply when it is scripted (not when a request comes): the file exists, has a known format,
 * and a requested `interaction` exists. A fixture that fails at request time would be answered with a 500,
 * which the client retries into an automatic reply — a test passing with the wrong text.
 * @throws LLMError `CONFIGURATION_ERROR` naming the fixture as given and the path it resolved to.
 */
export function checkFixtureReply(reply: FixtureReply, fixturesDir: string): void {
  const file = resolvePath(reply.fixture, fixturesDir);
  const given = String(reply.fixture);
  const fail = (problem: string): never => {
    throw new LLMError('CONFIGURATION_ERROR', `fake provider: fixture "${given}" ${problem}`, {
      details: { fixture: given, path: file, fixturesDir },
    });
  };
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    fail(
      `not found: ${file} (relative fixture paths resolve against ${fixturesDir}; set fixturesDir to change it)`,
    );
  }
  if (!FORMATS.some((suffix) => file.endsWith(suffix))) {
    fail(`has an unknown format (expected ${FORMATS.join(', ')})`);
  }
  if (reply.interaction != null && file.endsWith('.exchange.json')) {
    const parsed = safeParseJson(readFileSync(file, 'utf8'));
    const interactions = parsed.ok && isRecord(parsed.value) ? parsed.value.interactions : undefined;
    const count = Array.isArray(interactions) ? interactions.length : 0;
    if (!Number.isInteger(reply.interaction) || reply.interaction < 0 || reply.interaction >= count) {
      fail(`has ${count} interaction(s); interaction ${reply.interaction} does not exist`);
    }
  }
}

/** Loads a fixture and turns it into a plain reply by the SOURCES.md replay rules, applying the overrides. */
export async function replayFixture(reply: FixtureReply, state: FixtureState): Promise<ReplayedReply> {
  const file = resolvePath(reply.fixture, state.fixturesDir);
  const text = await readFile(file, 'utf8');
  const dialect = reply.dialect ?? chunksDialectOf(file.split(sep));
  let base: ReplayedReply;
  if (file.endsWith('.exchange.json')) base = exchangeReply(file, text, reply.interaction, state);
  else if (file.endsWith('.chunks.txt')) base = chunksReply(text, dialect);
  else if (file.endsWith('.txt')) base = eventStreamFileReply(text);
  else if (file.endsWith('.json')) {
    base = { text, status: statusFromErrorBody(text), contentType: 'application/json' };
  } else
    throw new Error(
      `fixture ${file}: unknown format (expected .json, .chunks.txt, .sse.txt, .txt, .exchange.json)`,
    );
  return applyOverrides(base, reply);
}

function applyOverrides(base: ReplayedReply, reply: FixtureReply): ReplayedReply {
  const result: ReplayedReply = { ...base };
  if (reply.status != null) result.status = reply.status;
  if (reply.headers != null) result.headers = { ...base.headers, ...reply.headers };
  if (reply.compress != null) result.compress = reply.compress;
  return 'sse' in result ? { ...result, ...copyFaults(reply) } : result;
}
