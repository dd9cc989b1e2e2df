import type { LLMMessage } from '../../spec/index.js';
import type { CaseSpec } from './case-spec.js';
import { check, equal, fail } from './conformance-assert.js';

export const reasoningCases: readonly CaseSpec[] = [
  {
    name: 'reasoning: the signature of turn 1 goes back on turn 2 to the same provider, and is dropped for a turn of another provider',
    capability: 'reasoning',
    needs: [{ kit: 'reasoning' }, { kit: 'read.signatures' }, { model: 'reasoning' }],
    async run({ server, llm, wire, chat, model, bodies }) {
      const signature = 'Q29uZm9ybWFuY2Ugc2lnbmF0dXJlIG9mIHR1cm4gMQ==';
      const thought = 'Two and two make four.';
      const reply = wire.reasoning?.({ thought, signature, text: 'Four.' }) ?? fail('reasoning');
      server.enqueue(reply, chat.text('Six.'), chat.text('Six.'));
      const first = await llm.chat('2+2?', { model: model('reasoning') });
      equal(first.text, 'Four.', 'turn 1 text');
      equal(first.thoughtText, thought, 'turn 1 thoughtText');
      const carried = [...first.contentParts, ...first.toolCalls].some(
        (part) => 'thoughtSignature' in part && part.thoughtSignature === signature,
      );
      check(carried, 'turn 1 keeps the signature on the part it came with');
      equal(first.message.model, model('reasoning'), 'turn 1 message.model');
      const history = (turn: LLMMessage): LLMMessage[] => [
        { role: 'user', content: '2+2?' },
        turn,
        { role: 'user', content: 'And 3+3?' },
      ];
      await llm.generate(history(first.message), { model: model('reasoning') });
      equal(wire.read.signatures?.(bodies()[1]), [signature], 'signatures sent back to the same provider');
      await llm.generate(history({ ...first.message, model: 'Elsewhere/other-model' }), {
        model: model('reasoning'),
      });
      equal(wire.read.signatures?.(bodies()[2]), [], 'signatures sent for a turn another provider produced');
    },
  },
];
