import { describe, expect, it } from 'vitest';
import type * as AnswerModule from '../src/answer-to-elements';
import type * as AskModule from '../src/ask-command';
import type * as ElementsModule from '../src/elements-to-parts';
import type * as MediaModule from '../src/media-source';
import { koishi, loadModule } from './support/koishi';

const { h } = koishi;
const { elementsToParts, quotePlaceholder } = loadModule<typeof ElementsModule>('elements-to-parts');
const { mediaPartOf } = loadModule<typeof MediaModule>('media-source');
const { answerToElements } = loadModule<typeof AnswerModule>('answer-to-elements');
const { observationOf, quoteParts } = loadModule<typeof AskModule>('ask-command');

const parts = (markup: string) => elementsToParts(h.parse(markup)).value;

describe('elementsToParts', () => {
  it('maps text, and joins adjacent text into one trimmed part', () => {
    expect(parts('  hello <b>bold</b> world  ')).toEqual([{ type: 'text', text: 'hello bold world' }]);
    expect(parts('   ')).toEqual([]);
    expect(parts('')).toEqual([]);
  });

  it('maps img/image/audio/video/file with a data URL to base64 data and MIME type', () => {
    expect(parts('<img src="data:image/png;base64,iVBORw0KGgo="/>')).toEqual([
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
    ]);
    expect(parts('<image src="data:image/jpeg;base64,/9j/"/>')).toEqual([
      { type: 'image', mimeType: 'image/jpeg', data: '/9j/' },
    ]);
    expect(parts('<audio src="data:audio/wav;base64,UklGRg=="/>')).toEqual([
      { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
    ]);
    expect(parts('<video src="data:video/mp4;base64,AAAA"/>')).toEqual([
      { type: 'video', mimeType: 'video/mp4', data: 'AAAA' },
    ]);
    expect(parts('<file src="data:application/pdf;base64,JVBERi0=" title="a.pdf"/>')).toEqual([
      { type: 'file', mimeType: 'application/pdf', data: 'JVBERi0=', name: 'a.pdf' },
    ]);
  });

  it('maps media by http(s) URL to a part by reference (files named from the URL)', () => {
    expect(parts('<img src="https://example.com/cat.png"/>')).toEqual([
      { type: 'image', url: 'https://example.com/cat.png' },
    ]);
    expect(parts('<file src="https://example.com/docs/report%201.pdf"/>')).toEqual([
      { type: 'file', url: 'https://example.com/docs/report%201.pdf', name: 'report 1.pdf' },
    ]);
  });

  it('keeps the order of text and media', () => {
    expect(parts('what is <img src="https://x.test/a.png"/> and <img src="https://x.test/b.png"/>?')).toEqual(
      [
        { type: 'text', text: 'what is' },
        { type: 'image', url: 'https://x.test/a.png' },
        { type: 'text', text: 'and' },
        { type: 'image', url: 'https://x.test/b.png' },
        { type: 'text', text: '?' },
      ],
    );
  });

  it('turns media without a usable source into a placeholder, with a warning', () => {
    const mapped = elementsToParts(h.parse('see <img src="file:///etc/passwd"/> <audio/>'));
    expect(mapped.value).toEqual([{ type: 'text', text: 'see [image] [audio]' }]);
    expect(mapped.warnings).toHaveLength(2);
  });

  it('maps at to @name (or @id, @all), sharp to #name', () => {
    expect(
      parts('hi <at id="42" name="Bob"/>, <at id="7"/>, <at type="all"/> in <sharp id="9" name="news"/>'),
    ).toEqual([{ type: 'text', text: 'hi @Bob, @7, @all in #news' }]);
  });

  it('maps an inline quote to a placeholder with its text', () => {
    expect(parts('<quote id="1">old <b>news</b></quote>so?')).toEqual([
      { type: 'text', text: '[quote: "old news"] so?' },
    ]);
    expect(parts('before<quote id="1">it</quote>')).toEqual([{ type: 'text', text: 'before [quote: "it"]' }]);
    expect(quotePlaceholder('x'.repeat(250))).toBe(`[quote: "${'x'.repeat(200)}…"]`);
    expect(quotePlaceholder('  ')).toBe('[quote]');
  });

  it('maps other elements to their text content', () => {
    expect(parts('<p>line one</p><p>line two</p>')).toEqual([{ type: 'text', text: 'line one\nline two' }]);
    expect(
      parts(
        'a<br/>b <a href="https://x.test">link</a> <a href="https://y.test"/> <face id="1" name="smile"/>',
      ),
    ).toEqual([{ type: 'text', text: 'a\nb link https://y.test [smile]' }]);
    expect(parts('<message><author id="1"/>nested <i>text</i></message>')).toEqual([
      { type: 'text', text: 'nested text' },
    ]);
  });
});

describe('mediaPartOf', () => {
  it('decodes a percent-encoded (non-base64) data URL', () => {
    expect(mediaPartOf('file', 'data:text/plain,hello%20world')?.value).toEqual({
      type: 'file',
      mimeType: 'text/plain',
      data: Buffer.from('hello world').toString('base64'),
    });
  });

  it('warns about a data URL without a MIME type', () => {
    expect(mediaPartOf('image', 'data:;base64,AAAA')).toEqual({
      value: { type: 'image', data: 'AAAA' },
      warnings: ['image: data URL without a MIME type'],
    });
  });

  it('refuses other schemes and malformed URLs', () => {
    for (const src of ['file:///tmp/a.png', 'base64://AAAA', 'internal:abc', 'not a url']) {
      expect(mediaPartOf('image', src)).toBeUndefined();
    }
  });
});

describe('answerToElements', () => {
  it('maps the text to a text element and images to img elements with data URLs', () => {
    const mapped = answerToElements({
      text: 'here <it> is',
      images: [
        { mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) },
        { mimeType: 'image/png', data: new Uint8Array(), url: 'https://cdn.test/i.png' },
      ],
    });
    expect(mapped.value.map((element) => element.toString())).toEqual([
      h.text('here <it> is').toString(),
      h.image('data:image/png;base64,AQID').toString(),
      h.image('https://cdn.test/i.png').toString(),
    ]);
    expect(mapped.value[0]?.attrs.content).toBe('here <it> is');
    expect(mapped.warnings).toEqual([]);
  });

  it('warns about an empty answer and an image without bytes or URL', () => {
    const mapped = answerToElements({
      text: ' ',
      images: [{ mimeType: 'image/png', data: new Uint8Array() }],
    });
    expect(mapped.value).toEqual([]);
    expect(mapped.warnings).toHaveLength(2);
  });
});

describe('quoteParts and observationOf', () => {
  it('makes a quoted message a placeholder followed by its media', () => {
    expect(quoteParts({ id: '1', content: 'look <img src="https://x.test/q.png"/>' })).toEqual([
      { type: 'text', text: '[quote: "look [image]"]' },
      { type: 'image', url: 'https://x.test/q.png' },
    ]);
    expect(quoteParts(undefined)).toEqual([]);
  });

  it('prefixes a group line with its author', () => {
    expect(observationOf('carol', [{ type: 'text', text: 'hi' }])).toEqual([
      { type: 'text', text: 'carol: hi' },
    ]);
    expect(observationOf('carol', [{ type: 'image', url: 'https://x.test/a.png' }])).toEqual([
      { type: 'text', text: 'carol:' },
      { type: 'image', url: 'https://x.test/a.png' },
    ]);
  });
});
