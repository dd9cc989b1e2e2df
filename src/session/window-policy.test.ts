import { describe, expect, it } from 'vitest';
import type { LLMMessage } from '../spec/index.js';
import { windowPolicy } from './window-policy.js';

const user = (n: number): LLMMessage => ({ role: 'user', content: `q${n}` });
const answer = (n: number): LLMMessage => ({ role: 'assistant', content: `a${n}` });
const callTurn = (n: number, calls: number): LLMMessage => ({
  role: 'assistant',
  content: '',
  toolCalls: Array.from({ length: calls }, (_, i) => ({
    id: `call_${n}_${i}`,
    name: 'lookup',
    arguments: { i },
    rawArguments: `{"i":${i}}`,
  })),
});
const result = (n: number, i: number): LLMMessage => ({
  role: 'tool',
  toolCallId: `call_${n}_${i}`,
  name: 'lookup',
  content: `r${n}.${i}`,
});

/** Asserts a history has no tool result without its call and no call without all its results. */
function expectWellFormed(history: LLMMessage[]): void {
  expect(history[0]?.role === 'user' || history[0]?.role === 'assistant').toBe(true);
  for (let i = 0; i < history.length; i++) {
    const message = history[i]!;
    if (message.role === 'assistant' && message.toolCalls?.length) {
      const ids = message.toolCalls.map((call) => call.id);
      const results = history.slice(i + 1, i + 1 + ids.length);
      expect(results.map((r) => r.toolCallId)).toEqual(ids);
    }
    if (message.role === 'tool') {
      const owner = history
        .slice(0, i)
        .reverse()
        .find((m) => m.role !== 'tool');
      expect(owner?.toolCalls?.some((call) => call.id === message.toolCallId)).toBe(true);
    }
  }
}

/** A long chat: plain turns and turns whose answer needed 1–3 tool calls. */
function longHistory(size: number): LLMMessage[] {
  const history: LLMMessage[] = [];
  for (let n = 0; history.length < size; n++) {
    history.push(user(n));
    if (n % 3 === 1) {
      const calls = (n % 4) + 1;
      history.push(callTurn(n, calls));
      for (let i = 0; i < calls; i++) history.push(result(n, i));
    }
    history.push(answer(n));
  }
  return history.slice(0, size);
}

describe('windowPolicy', () => {
  it('keeps a history that fits unchanged (same array)', () => {
    const history = [user(1), answer(1)];
    expect(windowPolicy(50).trim(history)).toBe(history);
    expect(windowPolicy(50).trim([])).toEqual([]);
  });

  it('keeps the last N messages of plain turns', () => {
    const history = Array.from({ length: 60 }, (_, n) => (n % 2 === 0 ? user(n) : answer(n)));
    const kept = windowPolicy(50).trim(history);
    expect(kept).toEqual(history.slice(10));
  });

  it('holds a 120-message history with tool exchanges at ≤ 50 without orphaning tool results', () => {
    const history = longHistory(120);
    expect(history).toHaveLength(120);
    for (let size = 20; size <= 120; size++) {
      const last = history[size - 1]!;
      // Only cut the input between turns: a history ending mid-exchange is incomplete before any trimming.
      if (last.role === 'tool' || last.toolCalls !== undefined) continue;
      const kept = windowPolicy(50).trim(history.slice(0, size));
      expect(kept.length).toBeLessThanOrEqual(50);
      expect(kept.length).toBeGreaterThanOrEqual(Math.min(size, 50) - 4);
      expectWellFormed(kept);
      // The kept part is a suffix of what was given (nothing reordered or invented).
      expect(kept).toEqual(history.slice(size - kept.length, size));
    }
  });

  it('drops a whole tool exchange rather than split it', () => {
    // [q0, call(3 results), r, r, r, a0, q1, a1]: a window of 6 cannot hold the exchange's results alone.
    const history = [
      user(0),
      callTurn(0, 3),
      result(0, 0),
      result(0, 1),
      result(0, 2),
      answer(0),
      user(1),
      answer(1),
    ];
    expect(windowPolicy(6).trim(history)).toEqual([answer(0), user(1), answer(1)]);
    expect(windowPolicy(7).trim(history)).toEqual(history.slice(1));
  });

  it('maxMessages 1 keeps the last message only', () => {
    expect(windowPolicy(1).trim([user(0), answer(0), user(1), answer(1)])).toEqual([answer(1)]);
  });

  it('keeps the newest group whole when it alone is longer than N', () => {
    const exchange = [callTurn(0, 2), result(0, 0), result(0, 1)];
    expect(windowPolicy(1).trim([user(0), ...exchange])).toEqual(exchange);
    expect(windowPolicy(2).trim([user(0), ...exchange])).toEqual(exchange);
  });

  it('drops tool messages that follow no tool call', () => {
    const orphan = result(9, 0);
    expect(windowPolicy(50).trim([orphan, user(1), answer(1)])).toEqual([user(1), answer(1)]);
  });

  it('rejects a window below 1 or not an integer', () => {
    expect(() => windowPolicy(0)).toThrow(/maxMessages must be an integer ≥ 1/);
    expect(() => windowPolicy(2.5)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });
});
