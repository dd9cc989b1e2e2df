import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMMessage } from '../../spec/index.js';
import { OPENAI_DIALECTS, type OpenAIDialectName } from './openai-dialects.js';
import { addSystemInstruction, convertToOpenAIMessages } from './openai-messages.js';
import type { OpenAIChatMessage } from './openai-wire.js';
import { validateOpenAIRequest } from './test-support/openai-spec.js';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=';
const PDF = 'JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoK';

function convert(messages: LLMMessage[], dialect: OpenAIDialectName = 'openai', geminiCompat = false) {
  return convertToOpenAIMessages(messages, {
    profile: OPENAI_DIALECTS[dialect],
    quirks: { geminiCompat },
    providerName: 'Prov',
  });
}

/** Request conformance: the messages inside a minimal chat request body. */
function expectConforming(messages: OpenAIChatMessage[]): void {
  expect(validateOpenAIRequest('CreateChatCompletionRequest', { model: 'gpt-4o', messages })).toEqual([]);
}

describe('convertToOpenAIMessages', () => {
  it('converts every content part kind of a user message', () => {
    const { value, warnings } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image', mimeType: 'image/jpeg', data: '/9j/4AAQ' },
          { type: 'image', data: PNG },
          { type: 'image', url: 'https://example.com/cat.png' },
          { type: 'audio', mimeType: 'audio/wav', data: WAV },
          { type: 'audio', mimeType: 'audio/mpeg', data: 'SUQzBAAAAA' },
          { type: 'file', mimeType: 'application/pdf', data: PDF, name: 'report.pdf' },
          { type: 'file', data: PDF },
          { type: 'file', url: 'file-abc123' },
          { type: 'file', mimeType: 'image/png', data: PNG },
          { type: 'thought', text: 'hidden' },
          { type: 'executable_code', language: 'PYTHON', code: 'print(1)' },
          { type: 'code_execution_result', outcome: 'OUTCOME_OK', output: '1' },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
    expect(value).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } },
          { type: 'input_audio', input_audio: { data: 'SUQzBAAAAA', format: 'mp3' } },
          { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF}` } },
          {
            type: 'file',
            file: { filename: 'document.pdf', file_data: `data:application/pdf;base64,${PDF}` },
          },
          { type: 'file', file: { file_id: 'file-abc123' } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: 'text', text: '```python\nprint(1)\n```' },
          { type: 'text', text: 'Code execution result (OUTCOME_OK):\n```\n1\n```' },
        ],
      },
    ]);
    expectConforming(value);
  });

  it('warns about parts a dialect cannot carry instead of dropping them silently, and never sends content: []', () => {
    const { value, warnings } = convert(
      [
        {
          role: 'user',
          content: [
            { type: 'audio', mimeType: 'audio/wav', data: WAV },
            { type: 'file', mimeType: 'application/pdf', data: PDF },
            { type: 'video', url: 'https://example.com/v.mp4' },
          ],
        },
      ],
      'deepseek',
    );
    expect(value).toEqual([{ role: 'user', content: '' }]);
    expect(warnings).toEqual([
      'messages[0]: audio input is not supported by deepseek; not sent',
      'messages[0]: file input is not supported by deepseek; not sent',
      'messages[0]: video input is not supported by deepseek; not sent',
    ]);
    const openai = convert([
      {
        role: 'user',
        content: [
          { type: 'audio', mimeType: 'audio/ogg', data: 'T2dnUw' },
          { type: 'audio', url: 'https://example.com/a.mp3' },
          { type: 'file', url: 'https://example.com/a.pdf' },
          { type: 'image' },
        ],
      },
    ]);
    expect(openai.warnings).toEqual([
      'messages[0]: audio must be base64 wav or mp3 data for openai; not sent',
      'messages[0]: audio must be base64 wav or mp3 data for openai; not sent',
      'messages[0]: openai takes files as base64 data or an uploaded file id; not sent',
      'messages[0]: image part without data or url; not sent',
    ]);
  });

  it('sends file URLs to OpenRouter and videos to Zhipu', () => {
    expect(
      convert(
        [
          {
            role: 'user',
            content: [{ type: 'file', url: 'https://x.dev/a.pdf', mimeType: 'application/pdf' }],
          },
        ],
        'openrouter',
      ).value,
    ).toEqual([
      {
        role: 'user',
        content: [{ type: 'file', file: { filename: 'document.pdf', file_data: 'https://x.dev/a.pdf' } }],
      },
    ]);
    expect(
      convert([{ role: 'user', content: [{ type: 'video', url: 'https://x.dev/v.mp4' }] }], 'zhipu').value,
    ).toEqual([
      { role: 'user', content: [{ type: 'video_url', video_url: { url: 'https://x.dev/v.mp4' } }] },
    ]);
  });

  it('keeps a single text part as a string and system content as text', () => {
    const { value, warnings } = convert([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Be kind.' },
          { type: 'image', data: PNG },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
    expect(value).toEqual([
      { role: 'system', content: 'Be brief.\nBe kind.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(warnings).toEqual(['messages[0]: image part in a system message is not sent']);
  });

  it('sends assistant tool calls (raw arguments, else JSON) with content null, and tool results as strings', () => {
    const messages: LLMMessage[] = [
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: [{ type: 'thought', text: 'Need tools.' }],
        toolCalls: [
          { id: 'call_1', name: 'weather', arguments: { city: 'Oslo' }, rawArguments: '{"city": "Oslo"}' },
          { id: 'call_2', name: 'time', arguments: { tz: 'UTC' }, rawArguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'weather', content: '{"tempC":3}' },
      { role: 'tool', toolCallId: 'call_2', name: 'time', content: [{ type: 'text', text: '12:00' }] },
      { role: 'tool', toolCallId: 'call_3', content: { now: 1 } as unknown as string },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'It is ' },
          { type: 'text', text: '3°C.' },
        ],
      },
    ];
    const before = JSON.stringify(messages);
    const { value, warnings } = convert(messages);
    expect(JSON.stringify(messages)).toBe(before);
    expect(warnings).toEqual([]);
    expect(value).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'time', arguments: '{"tz":"UTC"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"tempC":3}' },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
      { role: 'tool', tool_call_id: 'call_3', content: '{"now":1}' },
      { role: 'assistant', content: 'It is 3°C.' },
    ]);
    expectConforming(value);
  });

  it('rejects a tool message without toolCallId, naming the field', () => {
    expect(() => convert([{ role: 'tool', content: 'x' }])).toThrow(LLMError);
    expect(() =>
      convert([
        { role: 'user', content: 'a' },
        { role: 'tool', content: 'x' },
      ]),
    ).toThrow(/messages\[1\]\.toolCallId/);
  });

  it('replays DeepSeek reasoning only within the current tool-calling turn and only from DeepSeek itself', () => {
    const call = { id: 'c1', name: 'f', arguments: {}, rawArguments: '{}' };
    const messages: LLMMessage[] = [
      { role: 'user', content: 'first' },
      {
        role: 'assistant',
        content: [
          { type: 'thought', text: 'old' },
          { type: 'text', text: 'done' },
        ],
        model: 'Prov/deepseek-reasoner',
      },
      { role: 'user', content: 'second' },
      {
        role: 'assistant',
        content: [{ type: 'thought', text: 'plan' }],
        toolCalls: [call],
        model: 'Prov/deepseek-reasoner',
      },
      { role: 'tool', toolCallId: 'c1', content: 'ok' },
      {
        role: 'assistant',
        content: [{ type: 'thought', text: 'foreign' }],
        toolCalls: [{ ...call, id: 'c2' }],
        model: 'Other/x',
      },
      { role: 'tool', toolCallId: 'c2', content: 'ok' },
    ];
    const { value } = convert(messages, 'deepseek');
    expect(value[1]).toEqual({ role: 'assistant', content: 'done' });
    expect(value[3]).toMatchObject({ role: 'assistant', content: null, reasoning_content: 'plan' });
    expect(value[5]).not.toHaveProperty('reasoning_content');
    expect(convert(messages, 'openai').value[3]).not.toHaveProperty('reasoning_content');
  });

  it('sends Gemini-compat thought signatures back on tool calls, only to the provider that made them', () => {
    const call = { id: 'c1', name: 'f', arguments: {}, rawArguments: '{}', thoughtSignature: 'sig' };
    const own = convert(
      [{ role: 'assistant', content: '', toolCalls: [call], model: 'prov/gemini-3' }],
      'openai',
      true,
    );
    expect(own.value[0]).toMatchObject({
      tool_calls: [{ id: 'c1', extra_content: { google: { thought_signature: 'sig' } } }],
    });
    const other = convert(
      [{ role: 'assistant', content: '', toolCalls: [call], model: 'Else/gemini-3' }],
      'openai',
      true,
    );
    expect((other.value[0] as { tool_calls: object[] }).tool_calls[0]).not.toHaveProperty('extra_content');
    const plainOpenAI = convert([{ role: 'assistant', content: '', toolCalls: [call] }], 'openai', false);
    expect((plainOpenAI.value[0] as { tool_calls: object[] }).tool_calls[0]).not.toHaveProperty(
      'extra_content',
    );
  });

  it('warns about media in assistant turns and tool results', () => {
    const { warnings } = convert([
      { role: 'assistant', content: [{ type: 'image', data: PNG }] },
      { role: 'tool', toolCallId: 'c', content: [{ type: 'image', data: PNG }] },
    ]);
    expect(warnings).toEqual([
      'messages[0]: image part in an assistant message is not sent',
      'messages[1]: image part in a tool result is not sent',
    ]);
  });
});

describe('addSystemInstruction', () => {
  it('adds a JSON instruction in JSON mode only when no message mentions json', () => {
    const withJson: OpenAIChatMessage[] = [{ role: 'user', content: 'Reply in JSON please' }];
    addSystemInstruction(withJson, undefined, true);
    expect(withJson).toHaveLength(1);

    const without: OpenAIChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'List three fruits' }] },
    ];
    addSystemInstruction(without, undefined, true);
    expect(without[0]).toEqual({ role: 'system', content: expect.stringMatching(/JSON/) });

    const withSystem: OpenAIChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'List three fruits' },
    ];
    addSystemInstruction(withSystem, undefined, true);
    expect(withSystem[0]?.content).toMatch(/^Be brief\.\n\nReply with a valid JSON object only/);

    const textMode: OpenAIChatMessage[] = [{ role: 'user', content: 'List three fruits' }];
    addSystemInstruction(textMode, undefined, false);
    expect(textMode).toHaveLength(1);
  });

  it('always adds an explicit instruction (the schema prompt of DeepSeek JSON mode)', () => {
    const messages: OpenAIChatMessage[] = [{ role: 'user', content: 'json please' }];
    addSystemInstruction(messages, 'Match this schema.', true);
    expect(messages[0]).toEqual({ role: 'system', content: 'Match this schema.' });
  });
});
