import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMMessage } from '../../spec/index.js';
import { anthropicToolId, convertAnthropicMessages, keepsArtefacts } from './anthropic-messages.js';
import { parseAnthropicResponse } from './anthropic-response.js';
import { anthropicModel, exchange, requestBody, responseJson } from './test-support/anthropic-fixtures.js';

const convert = (messages: LLMMessage[], citations = false) =>
  convertAnthropicMessages({ messages, providerName: 'Anthropic', citations });

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PDF = Buffer.from('%PDF-1.3\n%fake\n').toString('base64');

/** The assistant turn the client would store for recorded answer `index` of `file`. */
function storedTurn(file: string, index: number, model = 'Anthropic/claude-haiku-4-5'): LLMMessage {
  const parsed = parseAnthropicResponse(responseJson(exchange(file)[index]), { model: anthropicModel() });
  const message: LLMMessage = { role: 'assistant', content: parsed.contentParts, model };
  if (parsed.toolCalls.length > 0) message.toolCalls = parsed.toolCalls;
  return message;
}

describe('convertAnthropicMessages', () => {
  it('system messages → top-level system text blocks in order; user text → a text block array', () => {
    const { value, warnings } = convert([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
    ]);
    expect(value.system).toEqual([
      { type: 'text', text: 'Be terse.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    // As the recorded count_tokens request (system + one user turn).
    expect(value.messages).toEqual(requestBody('anthropic/count-tokens.exchange.json', 1).messages);
    expect(warnings).toEqual([]);
  });

  it('cacheControl on a system part → cache_control (the recorded prompt-cache request)', () => {
    const recorded = requestBody('anthropic/messages-prompt-cache.exchange.json');
    const system = recorded.system as { text: string }[];
    const { value } = convert([
      {
        role: 'system',
        content: [{ type: 'text', text: system[0]?.text ?? '', cacheControl: { type: 'ephemeral' } }],
      },
      { role: 'user', content: 'Reply with exactly: OK' },
    ]);
    expect(value.system).toEqual(recorded.system);
    expect(value.messages).toEqual(recorded.messages);
    const ttl = convert([
      {
        role: 'user',
        content: [{ type: 'text', text: 'x', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
      },
    ]);
    expect(ttl.value.messages[0]?.content[0]).toEqual({
      type: 'text',
      text: 'x',
      cache_control: { type: 'ephemeral', ttl: '1h' },
    });
  });

  it('images: base64 (the recorded image request), data URLs and http(s) URLs', () => {
    const recorded = requestBody('anthropic/messages-image-input.exchange.json');
    const image =
      (recorded.messages as { content: { source?: { data: string } }[] }[])[0]?.content[1]?.source?.data ??
      '';
    const { value } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What do you see in this image?' },
          { type: 'image', data: image },
        ],
      },
    ]);
    expect(value.messages).toEqual(recorded.messages);
    const more = convert([
      {
        role: 'user',
        content: [
          { type: 'image', url: `data:image/png;base64,${PNG}` },
          { type: 'image', url: 'https://example.com/cat.jpg', cacheControl: { type: 'ephemeral' } },
        ],
      },
    ]);
    expect(more.value.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      {
        type: 'image',
        source: { type: 'url', url: 'https://example.com/cat.jpg' },
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  it('PDF files → document blocks (title from the name; citations with customParams.citations); text files → text documents', () => {
    const { value, warnings } = convert(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What does the document say? Use the document.' },
            { type: 'file', data: PDF, name: 'sample.pdf' },
            { type: 'file', url: 'https://example.com/paper.pdf' },
            {
              type: 'file',
              mimeType: 'text/plain',
              data: Buffer.from('Ruby was created in 1993.\n').toString('base64'),
              name: 'facts.txt',
            },
          ],
        },
      ],
      true,
    );
    expect(value.messages[0]?.content.slice(1)).toEqual([
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: PDF },
        title: 'sample.pdf',
        citations: { enabled: true },
      },
      {
        type: 'document',
        source: { type: 'url', url: 'https://example.com/paper.pdf' },
        citations: { enabled: true },
      },
      {
        type: 'document',
        source: { type: 'text', media_type: 'text/plain', data: 'Ruby was created in 1993.\n' },
        title: 'facts.txt',
        citations: { enabled: true },
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('the recorded PDF request: a file part named sample.pdf with citations on', () => {
    const recorded = requestBody('anthropic/messages-pdf-citations.exchange.json');
    const content = (recorded.messages as { content: { source?: { data: string } }[] }[])[0]?.content ?? [];
    const { value } = convert(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What does the document say? Use the document.' },
            {
              type: 'file',
              mimeType: 'application/pdf',
              data: content[1]?.source?.data ?? '',
              name: 'sample.pdf',
            },
          ],
        },
      ],
      true,
    );
    expect(value.messages).toEqual(recorded.messages);
  });

  it('audio, video and unsupported files are reported and not sent', () => {
    const { value, warnings } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'audio', data: 'SUQz', mimeType: 'audio/mpeg' },
          { type: 'video', url: 'https://example.com/v.mp4' },
          { type: 'file', data: 'UEsDBA==', mimeType: 'application/zip' },
        ],
      },
    ]);
    expect(value.messages[0]?.content).toEqual([{ type: 'text', text: 'hi' }]);
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/messages\[0\]\.content\[3\].*application\/zip not sent/);
  });

  it('inline images of types the API refuses (BMP, …) are reported, not sent', () => {
    const { value, warnings } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'x' },
          { type: 'image', data: 'Qk0=', mimeType: 'image/bmp' },
        ],
      },
    ]);
    expect(value.messages[0]?.content).toEqual([{ type: 'text', text: 'x' }]);
    expect(warnings).toEqual([
      'messages[0].content[1]: Anthropic takes PNG, JPEG, GIF and WebP images; image/bmp not sent',
    ]);
  });

  it('a media part without data or url is INVALID_PARAMETER naming it', () => {
    try {
      convert([{ role: 'user', content: [{ type: 'image' }] }]);
      throw new Error('no error');
    } catch (error) {
      expect(LLMError.isInstance(error) && error.code).toBe('INVALID_PARAMETER');
      expect((error as Error).message).toMatch(/messages\[0\]\.content\[0\]/);
    }
  });

  it('tool round trip: the recorded turn 2 of a single tool call', () => {
    const file = 'anthropic/messages-tool-use.exchange.json';
    const { value } = convert([
      { role: 'user', content: "What's the weather in Berlin? (52.5200, 13.4050)" },
      storedTurn(file, 0),
      {
        role: 'tool',
        toolCallId: 'toolu_01Ay5KzhmQYMK53svGLaAxfc',
        name: 'weather',
        content: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
      },
    ]);
    expect(value.messages).toEqual(requestBody(file, 1).messages);
  });

  it('parallel tool results → one user message of tool_result blocks (the recorded turn 2)', () => {
    const file = 'anthropic/messages-parallel-tool-use.exchange.json';
    const recorded = requestBody(file, 1).messages as { content: { content: { text: string }[] }[] }[];
    const results = recorded[2]?.content ?? [];
    const { value } = convert([
      {
        role: 'user',
        content: "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?",
      },
      storedTurn(file, 0),
      {
        role: 'tool',
        toolCallId: 'toolu_01TjHdHxyQNDy4DipRieJU5n',
        content: results[0]?.content[0]?.text ?? '',
      },
      {
        role: 'tool',
        toolCallId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY',
        content: results[1]?.content[0]?.text ?? '',
      },
    ]);
    expect(value.messages).toEqual(recorded);
  });

  it('a user turn right after tool results joins their user message; consecutive users merge', () => {
    const { value } = convert([
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call.1', name: 'f', arguments: {}, rawArguments: '{}' }],
      },
      {
        role: 'tool',
        toolCallId: 'call.1',
        content: [
          { type: 'text', text: 'done' },
          { type: 'image', data: PNG },
        ],
      },
      { role: 'user', content: 'and now?' },
    ]);
    expect(value.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }] },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'call_1',
            content: [
              { type: 'text', text: 'done' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            ],
          },
          { type: 'text', text: 'and now?' },
        ],
      },
    ]);
  });

  it('redacted thinking goes back unchanged (the recorded turn 2)', () => {
    const file = 'anthropic/messages-redacted-thinking.exchange.json';
    const recorded = requestBody(file, 1);
    const first = (recorded.messages as { content: { text: string }[] }[])[0]?.content[0]?.text ?? '';
    const { value } = convert([
      { role: 'user', content: first },
      storedTurn(file, 0, 'Anthropic/claude-sonnet-4-5-20250929'),
      { role: 'user', content: 'What was that?' },
    ]);
    expect(value.messages).toEqual(recorded.messages);
  });

  it('server-tool blocks and cited texts go back unchanged (the recorded web-search follow-up)', () => {
    const file = 'anthropic/messages-web-search.exchange.json';
    const turn = storedTurn(file, 0);
    const { value } = convert([
      { role: 'user', content: 'Search the web: what is the latest stable Ruby version? Cite your source.' },
      turn,
    ]);
    const body = responseJson(exchange(file)[0]) as { content: Record<string, unknown>[] };
    expect(value.messages[1]?.content).toEqual(body.content);
  });

  it('signed thinking replays to its own provider; every artefact drops when the model names another one', () => {
    const turn = storedTurn('anthropic/messages-thinking.exchange.json', 0);
    const own = convert([{ role: 'user', content: 'q' }, turn]);
    const [thinking, text] = own.value.messages[1]?.content ?? [];
    expect(thinking).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^EvoR/) });
    expect(text).toMatchObject({ type: 'text' });
    expect(own.warnings).toEqual([]);

    const elsewhere = convert([
      { role: 'user', content: 'q' },
      { ...turn, model: 'Other/claude-haiku-4-5' },
    ]);
    expect(elsewhere.value.messages[1]?.content.map((block) => block.type)).toEqual(['text']);
    expect(elsewhere.warnings).toEqual([
      expect.stringMatching(/^1 thought part\(s\) without an Anthropic signature/),
    ]);

    const web = storedTurn('anthropic/messages-web-search.exchange.json', 0, 'Other/x');
    const dropped = convert([{ role: 'user', content: 'q' }, web]).value.messages[1]?.content ?? [];
    expect(dropped.every((block) => block.type === 'text' && !('citations' in block))).toBe(true);
  });

  it('a thought without a signature (another provider, or none) is never sent; a message without model keeps artefacts', () => {
    const { value, warnings } = convert([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: [
          { type: 'thought', text: 'gemini thinking' },
          { type: 'thought', text: 'signed', thoughtSignature: 'sig' },
          { type: 'text', text: 'answer' },
          { type: 'provider_data', apiType: 'gemini', data: { type: 'x' } },
        ],
      },
    ]);
    expect(value.messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'signed', signature: 'sig' },
      { type: 'text', text: 'answer' },
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('code parts from other histories become text; media in assistant turns and thoughts in user turns are dropped', () => {
    const { value, warnings } = convert([
      {
        role: 'user',
        content: [
          { type: 'thought', text: 'x' },
          { type: 'text', text: 'q' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'executable_code', language: 'PYTHON', code: 'print(1)' },
          { type: 'code_execution_result', outcome: 'OUTCOME_OK', output: '1' },
          { type: 'image', data: PNG },
        ],
      },
    ]);
    expect(value.messages[1]?.content).toEqual([
      { type: 'text', text: '```python\nprint(1)\n```' },
      { type: 'text', text: 'Code execution result (OUTCOME_OK):\n```\n1\n```' },
    ]);
    expect(warnings).toEqual([
      'messages[0].content[0]: thought parts are not sent in user turns; dropped',
      'messages[1].content[2]: Anthropic assistant turns cannot carry image parts; dropped',
    ]);
  });

  it('a tool message without toolCallId is INVALID_PARAMETER; empty turns are skipped with a warning', () => {
    expect(() => convert([{ role: 'tool', content: 'x' } as LLMMessage])).toThrow(/toolCallId/);
    const { value, warnings } = convert([
      { role: 'user', content: '' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'hi' },
    ]);
    expect(value.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
    expect(warnings).toHaveLength(2);
  });

  it('never mutates the caller messages', () => {
    const messages: LLMMessage[] = [
      { role: 'system', content: [{ type: 'text', text: 's', cacheControl: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
    ];
    const copy = structuredClone(messages);
    const { value } = convert(messages);
    (value.system?.[0]?.cache_control as { ttl?: string }).ttl = '1h';
    expect(messages).toEqual(copy);
  });
});

describe('helpers', () => {
  it('anthropicToolId keeps valid ids and replaces other characters', () => {
    expect(anthropicToolId('toolu_01Ay5-x')).toBe('toolu_01Ay5-x');
    expect(anthropicToolId('call:1/2')).toBe('call_1_2');
  });

  it('keepsArtefacts: no model keeps; the provider part is compared case-insensitively', () => {
    const message: LLMMessage = { role: 'assistant', content: 'x' };
    expect(keepsArtefacts(message, 'Anthropic')).toBe(true);
    expect(keepsArtefacts({ ...message, model: 'anthropic/claude' }, 'Anthropic')).toBe(true);
    expect(keepsArtefacts({ ...message, model: 'Gemini/gemini-2.5-flash' }, 'Anthropic')).toBe(false);
  });
});
