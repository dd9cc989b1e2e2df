import { describe, expect, it } from 'vitest';
import type * as ChannelLogModule from '../src/channel-log';
import { loadModule } from './support/koishi';

const { ChannelLog } = loadModule<typeof ChannelLogModule>('channel-log');

const line = (text: string) => [{ type: 'text' as const, text }];
const texts = (lines: Array<Array<{ type: string; text?: string }>>) => lines.map((parts) => parts[0]?.text);

describe('ChannelLog', () => {
  it('gives each reader the lines after its cursor, oldest first, each once', () => {
    const log = new ChannelLog();
    log.add('g1', line('a'));
    log.add('g1', line('b'));
    const first = log.since('g1', 0);
    expect(texts(first.lines)).toEqual(['a', 'b']);
    log.add('g1', line('c'));
    expect(texts(log.since('g1', first.cursor).lines)).toEqual(['c']);
    // Another reader that has seen nothing yet gets everything.
    expect(texts(log.since('g1', 0).lines)).toEqual(['a', 'b', 'c']);
  });

  it('keeps channels apart', () => {
    const log = new ChannelLog();
    log.add('g1', line('in g1'));
    log.add('g2', line('in g2'));
    expect(texts(log.since('g1', 0).lines)).toEqual(['in g1']);
    expect(texts(log.since('g2', 0).lines)).toEqual(['in g2']);
    expect(log.since('g3', 0).lines).toEqual([]);
  });

  it('keeps the last maxLines lines of a channel', () => {
    const log = new ChannelLog({ maxLines: 2 });
    for (const text of ['1', '2', '3']) log.add('g1', line(text));
    expect(texts(log.since('g1', 0).lines)).toEqual(['2', '3']);
  });

  it('forgets the least recently active channel past maxChannels, and cursors stay valid', () => {
    const log = new ChannelLog({ maxChannels: 2 });
    log.add('g1', line('old'));
    const { cursor } = log.since('g1', 0);
    log.add('g2', line('x'));
    log.add('g3', line('y'));
    expect(log.since('g1', 0).lines).toEqual([]);
    log.add('g1', line('new'));
    expect(texts(log.since('g1', cursor).lines)).toEqual(['new']);
  });
});
