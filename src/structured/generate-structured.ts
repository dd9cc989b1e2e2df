import type { LLMMessage } from '../spec/index.js';
import { StructuredRun } from './structured-run.js';
import type {
  StructuredOptions,
  StructuredResult,
  StructuredRunner,
  StructuredSchema,
  StructuredValue,
} from './structured-types.js';

/**
 * Asks the model for a value of `schema` (API.md §8):
 * 1. one request with the strategy's settings (see `StructuredOptions.strategy`);
 * 2. local repair of the answer (fences, prose, trailing commas, single quotes, comments, truncation) and zod
 *    validation (`safeParseAsync`, the schema's coercions and transforms applied), then `validationCallback`;
 * 3. on failure, a re-ask carrying the answer and the issues by path, up to `maxValidationRetries` times.
 *
 * Whatever `runner.call` throws (transport, content filter, abort…) propagates at once and spends no
 * validation budget.
 *
 * @throws LLMError `RESPONSE_PARSE_ERROR` after 1 + `maxValidationRetries` failed answers, with
 *   `details: { lastAnswer, issues: [{ path, message }], attempts }`; `INVALID_PARAMETER` for bad options.
 * @example const { value } = await generateStructured(runner, [{ role: 'user', content: 'Paris weather?' }],
 *   z.object({ city: z.string(), tempC: z.number() }));
 */
export async function generateStructured<S extends StructuredSchema>(
  runner: StructuredRunner,
  messages: readonly LLMMessage[],
  schema: S,
  options: StructuredOptions<StructuredValue<S>> = {},
): Promise<StructuredResult<StructuredValue<S>>> {
  const run = new StructuredRun<StructuredValue<S>>(runner, messages, schema, options);
  for (;;) {
    const response = await runner.call(run.nextRequest());
    const checked = await run.check(response);
    if (checked.ok) return run.result(response, checked);
    if (!run.canRetry()) throw run.exhausted(checked);
    run.addFeedback(response, checked.issues);
  }
}
