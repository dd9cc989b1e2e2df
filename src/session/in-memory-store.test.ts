import { describe, expect, it } from 'vitest';
import type { LLMMessage } from '../spec/index.js';
import { createInMemoryStore } from './in-memory-store.js';

describe('createInMemoryStore', () => {
  it('appends, loads, replaces and clears per session', async () => {
    const store = createInMemoryStore();
    await store.append('s1', [{ role: 'user', content: 'a' }]);
    await store.append('s1', [{ role: 'assistant', content: 'b' }]);
    await store.append('s2', [{ role: 'user', content: 'other' }]);
    expect((await store.load('s1')).map((m) => m.content)).toEqual(['a', 'b']);
    await store.replace('s1', [{ role: 'assistant', content: 'b' }]);
    expect((await store.load('s1')).map((m) => m.content)).toEqual(['b']);
    await store.clear('s1');
    expect(await store.load('s1')).toEqual([]);
    expect(await store.load('s2')).toHaveLength(1);
  });

  it('copies on the way in and out, so callers cannot change stored history', async () => {
    const store = createInMemoryStore();
    const message: LLMMessage = { role: 'user', content: [{ type: 'text', text: 'original' }] };
    await store.append('s', [message]);
    (message.content as { text: string }[])[0]!.text = 'changed by caller';
    const loaded = await store.load('s');
    loaded[0]!.content = 'changed after load';
    loaded.push({ role: 'user', content: 'pushed' });
    expect(await store.load('s')).toEqual([{ role: 'user', content: [{ type: 'text', text: 'original' }] }]);
  });

  it('rejects an empty session id', async () => {
    await expect(createInMemoryStore().load('')).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
