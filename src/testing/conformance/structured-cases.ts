import type { StructuredOutputStrategy } from '../../spec/index.js';
import type { CaseSpec } from './case-spec.js';
import { check, equal, fail } from './conformance-assert.js';
import type { ChatWire, WireKit } from './conformance-types.js';

/** The tool the `tool_call` strategy forces (API.md §8). */
export const STRUCTURED_TOOL = 'return_structured_response';

/** The schema of the case, built on first use (zod loads with the client, not the kit). */
async function personSchema() {
  const { z } = await import('zod');
  return z.object({ name: z.string(), age: z.number().int() });
}

/** The answer to a structured request: the kit's own builder, else a forced tool call or a JSON text. */
export function structuredAnswer<R>(
  wire: WireKit<R>,
  chat: ChatWire<R>,
  value: unknown,
  strategy: StructuredOutputStrategy,
): R {
  if (wire.structured != null) return wire.structured(value, strategy);
  if (strategy !== 'tool_call') return chat.text(JSON.stringify(value));
  const args = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { value };
  return chat.toolCalls([{ id: 'call_conformance_structured', name: STRUCTURED_TOOL, arguments: args }]);
}

export const structuredCases: readonly CaseSpec[] = [
  {
    name: 'structured: generateStructured uses the declared strategy and returns the typed value; a bad answer is re-asked once',
    capability: 'structured',
    needs: [{ model: 'structured' }, { structuredStrategy: true }],
    async run({ server, llm, wire, chat, model, bodies }, target) {
      const strategy = target.structuredStrategy ?? fail('structuredStrategy');
      const Person = await personSchema();
      server.enqueue(
        structuredAnswer(wire, chat, { name: 'Ada', age: 36 }, strategy),
        structuredAnswer(wire, chat, { name: 'Bob', age: 'old' }, strategy),
        structuredAnswer(wire, chat, { name: 'Bob', age: 41 }, strategy),
      );
      const first = await llm.generateStructuredResult('Ada is 36', Person, { model: model('structured') });
      equal(first.value, { name: 'Ada', age: 36 }, 'the value');
      equal(first.strategy, strategy, 'the strategy generateStructured picked');
      equal(first.attempts, 1, 'model requests for a good answer');
      const second = await llm.generateStructuredResult('Bob is 41', Person, {
        model: model('structured'),
        maxValidationRetries: 1,
      });
      equal(second.value, { name: 'Bob', age: 41 }, 'the value after the re-ask');
      equal(second.attempts, 2, 'model requests: the bad answer, then the re-ask');
      // The re-ask carries the bad answer and names the failing field.
      const reask = JSON.stringify(bodies()[2]);
      check(
        reask.includes('old') && reask.includes('age'),
        'the re-ask request carries the bad answer and the issue',
      );
    },
  },
];
