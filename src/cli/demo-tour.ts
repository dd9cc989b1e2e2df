import { z } from 'zod';
import { createLLM, type LLM } from '../client/llm.js';
import type { AttemptRecord, LLMConfig } from '../spec/index.js';
import {
  type FakeProvider,
  openaiChatReply,
  openaiStreamReply,
  openaiToolCallReply,
  rateLimitReply,
  startFakeProvider,
} from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import type { CliContext } from './cli-context.js';
import { renderKeyTable } from './key-table.js';

// Demo keys: obviously fake, long enough to show the masked id format (first 4 … last 4).
const DEMO_KEYS = ['demo-key-alpha-0001', 'demo-key-bravo-0002'];
const MODEL = 'Demo/gpt-4o-mini';
const STORY =
  'A key pool spreads calls over several API keys, cools a key down when the provider says "slow down", ' +
  'and moves the next request to a healthy key, so one busy key never stops your app.';

function demoConfig(fake: FakeProvider, ctx: CliContext): LLMConfig {
  return {
    providers: [
      {
        name: 'Demo',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: DEMO_KEYS,
        models: ['gpt-4o-mini'],
      },
    ],
    keyStore: 'memory',
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    timeoutMs: 10_000,
    logger: ctx.logger,
    ...(ctx.globals.locale != null ? { locale: ctx.globals.locale } : {}),
  };
}

/** The tour of `switchboard demo`: a fake provider in this process, a client on it, five steps. */
export async function runDemo(ctx: CliContext): Promise<void> {
  const started = Date.now();
  const fake = await startFakeProvider();
  const llm = createLLM(demoConfig(fake, ctx));
  try {
    await tour(ctx, llm, fake);
    const { out } = ctx;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    out.line();
    out.line(
      `${out.colors.green('done')} in ${seconds} s: the fake provider answered ${fake.requests.length} requests; nothing left this machine.`,
    );
    out.line(
      'Next: write switchboard.yaml (see the README), then `switchboard doctor` and `switchboard chat "Hello"`.',
    );
  } finally {
    await llm.close();
    await fake.close();
  }
}

async function tour(ctx: CliContext, llm: LLM, fake: FakeProvider): Promise<void> {
  const { out } = ctx;
  const { bold, dim, cyan } = out.colors;
  const step = (n: number, title: string) => out.line(`\n${bold(`${n}. ${title}`)}`);
  out.line(bold('switchboard demo') + dim(' — local fake provider — no network, no real keys'));
  out.line(
    dim(`fake provider on ${fake.url} (OpenAI wire format); provider Demo with 2 keys, model ${MODEL}`),
  );

  step(1, 'A streamed answer, printed as it arrives');
  out.line(cyan('$ switchboard chat "What does a key pool do?"'));
  fake.enqueue(openaiStreamReply(STORY.match(/\S+\s*/g) ?? [STORY], { eventDelayMs: 25 }));
  for await (const piece of llm.stream('What does a key pool do?', { signal: ctx.signal }).textStream)
    out.write(piece);
  out.line();

  step(2, 'A rate limit (HTTP 429) absorbed by key rotation');
  fake.enqueue(rateLimitReply({ retryAfterSeconds: 30 }), openaiChatReply('Answered by the second key.'));
  const rotated = await llm.chat('Hello again', { signal: ctx.signal });
  for (const attempt of rotated.attempts) out.line(`  ${attemptLine(attempt)}`);
  out.line(`  answer: ${rotated.text}`);

  step(3, 'Key health (`switchboard keys`)');
  out.write(renderKeyTable(await llm.keys.stats('Demo'), out.colors));

  step(4, 'A structured answer validated by a zod schema');
  const City = z.object({
    city: z.string(),
    country: z.string(),
    population: z.number().int(),
    landmarks: z.array(z.string()),
  });
  const paris = {
    city: 'Paris',
    country: 'France',
    population: 2_102_650,
    landmarks: ['Eiffel Tower', 'Louvre'],
  };
  fake.enqueue(openaiChatReply(JSON.stringify(paris)));
  const value = await llm.generateStructured('Describe Paris', City, { signal: ctx.signal });
  out.line(dim('  schema: { city: string, country: string, population: integer, landmarks: string[] }'));
  out.line(`  ${JSON.stringify(value)}`);

  step(5, 'A tool call run by the automatic tool loop');
  const weather = functionTool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, tempC: 21, sky: 'sunny' }),
  });
  fake.enqueue(
    openaiToolCallReply([{ name: 'get_weather', arguments: { city: 'Paris' } }]),
    openaiChatReply('It is 21 °C and sunny in Paris.'),
  );
  const answered = await llm.chat('Weather in Paris?', { tools: [weather], signal: ctx.signal });
  for (const result of answered.toolResults ?? []) {
    out.line(
      `  model called ${result.call.name}(${JSON.stringify(result.call.arguments)}) → ${JSON.stringify(result.output)}`,
    );
  }
  out.line(`  answer: ${answered.text}`);
}

function attemptLine(attempt: AttemptRecord): string {
  const key = `key ${attempt.keyId ?? '?'}`;
  if (attempt.code != null) {
    const cooled =
      attempt.code === 'API_RATE_LIMITED' ? ' → this key cools down; retried at once on the next key' : '';
    return `attempt ${attempt.attempt}: ${key} → HTTP ${attempt.status ?? '-'} ${attempt.code}${cooled}`;
  }
  return `attempt ${attempt.attempt}: ${key} → HTTP ${attempt.status ?? 200} ok (${attempt.durationMs} ms)`;
}
