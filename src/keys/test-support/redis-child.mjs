// A second process for the Redis key-store tests: the BUILT library (dist/), driven by JSON lines on stdin
// ({ id, op, args }) and answering JSON lines on stdout ({ id, ok, value | error }).
import { createInterface } from 'node:readline';

const { createLLM } = await import(process.env.SWITCHBOARD_DIST);
const warnings = [];
const llm = createLLM({
  ...JSON.parse(process.env.CHILD_CONFIG),
  logger: { debug() {}, info() {}, warn: (obj, msg) => warnings.push(msg ?? obj), error() {} },
});

const ops = {
  chat: async ({ text }) => (await llm.chat(text)).attempts,
  chatMany: async ({ count }) =>
    Promise.all(Array.from({ length: count }, async (_, i) => (await llm.chat(`many ${i}`)).attempts)),
  stats: ({ provider }) => llm.keys.stats(provider),
  reset: ({ provider, keyId }) => llm.keys.reset(provider, keyId),
  warnings: async () => warnings,
  close: () => llm.close(),
};

const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const { id, op, args } = JSON.parse(line);
  try {
    answer({ id, ok: true, value: (await ops[op](args ?? {})) ?? null });
  } catch (error) {
    answer({ id, ok: false, error: { code: error?.code, message: String(error?.message ?? error) } });
  }
  if (op === 'close') break;
}
