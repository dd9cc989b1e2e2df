import { describe, expect, it } from 'vitest';
import type { LLMMessage } from '../spec/index.js';
import { checkToolResults, pendingToolCalls } from './pending-tool-calls.js';

const call = (id: string) => ({ id, name: `t_${id}`, arguments: {}, rawArguments: '{}' });
const asked: LLMMessage = { role: 'assistant', content: '', toolCalls: [call('a'), call('b')] };
const result = (id: string): LLMMessage => ({ role: 'tool', toolCallId: id, content: 'ok' });

describe('pendingToolCalls', () => {
  it('lists the unanswered calls of the newest exchange only', () => {
    expect(pendingToolCalls([])).toEqual([]);
    expect(pendingToolCalls([asked]).map((c) => c.id)).toEqual(['a', 'b']);
    expect(pendingToolCalls([asked, result('b')]).map((c) => c.id)).toEqual(['a']);
    expect(pendingToolCalls([asked, result('a'), result('b')])).toEqual([]);
    expect(pendingToolCalls([asked, { role: 'user', content: 'moving on' }])).toEqual([]);
  });
});

describe('checkToolResults', () => {
  it('accepts results of open calls, stored or added just before', () => {
    expect(() => checkToolResults([asked], [result('a'), result('b')])).not.toThrow();
    expect(() => checkToolResults([], [asked, result('b')])).not.toThrow();
  });

  it('refuses orphans, duplicates and results after the exchange closed', () => {
    expect(() => checkToolResults([], [result('a')])).toThrow(/messages\[0\].*no call is waiting/);
    expect(() => checkToolResults([asked, result('a')], [result('a')])).toThrow(/open calls: 'b' \(t_b\)/);
    expect(() => checkToolResults([asked], [{ role: 'user', content: 'x' }, result('a')])).toThrow(
      /messages\[1\]/,
    );
  });
});
