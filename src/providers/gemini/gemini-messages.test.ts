import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMMessage } from '../../spec/index.js';
import { convertGeminiMessages, SKIP_THOUGHT_SIGNATURE } from './gemini-messages.js';
import { geminiModel } from './test-support/gemini-fixtures.js';

const flash = geminiModel('gemini-2.5-flash');
const gemini3 = geminiModel('gemini-3-pro-preview');
const convert = (messages: LLMMessage[], model = flash, contextUrls?: string[]) =>
  convertGeminiMessages({ messages, model, ...(contextUrls != null ? { contextUrls } : {}) });
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQImWNwav0CAALIAbzDqqRyAAAAAElFTkSuQmCC';

describe('convertGeminiMessages', () => {
  it('every system message goes into systemInstruction, in order; roles user/model', () => {
    const { value } = convert([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'assistant', content: 'Salut' },
    ]);
    expect(value.systemInstruction).toEqual({
      parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
    });
    expect(value.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Salut' }] },
    ]);
  });

  it('media: inline data, data URLs and remote URLs (fileData, never downloaded)', () => {
    const { value, warnings } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image', data: PNG },
          { type: 'image', url: `data:image/png;base64,${PNG}` },
          { type: 'audio', mimeType: 'audio/wav', data: 'UklGRiQAAABXQVZFZm10' },
          { type: 'video', url: 'https://www.youtube.com/watch?v=abc' },
          { type: 'file', url: 'https://example.com/doc.pdf', name: 'doc.pdf' },
          { type: 'file', url: 'gs://bucket/report.pdf', mimeType: 'application/pdf' },
          { type: 'file', url: 'data:text/plain,hello%20world' },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
    expect(value.contents[0]?.parts).toEqual([
      { text: 'Look' },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRiQAAABXQVZFZm10' } },
      { fileData: { fileUri: 'https://www.youtube.com/watch?v=abc' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/doc.pdf' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/report.pdf' } },
      { inlineData: { mimeType: 'text/plain', data: Buffer.from('hello world').toString('base64') } },
    ]);
  });

  it('a media part with neither data nor url is an INVALID_PARAMETER naming the part', () => {
    try {
      convert([{ role: 'user', content: [{ type: 'image' }] }]);
      expect.unreachable();
    } catch (error) {
      expect(LLMError.isInstance(error) && error.code).toBe('INVALID_PARAMETER');
      expect((error as Error).message).toContain('messages[0].content[0]');
    }
  });

  it('assistant tool calls → functionCall parts with the signature on the same part; tool results merged under role user', () => {
    const { value } = convert([
      { role: 'user', content: 'Weather and language?' },
      {
        role: 'assistant',
        content: [{ type: 'thought', text: 'Two calls.' }],
        toolCalls: [
          {
            id: 'c1',
            name: 'weather',
            arguments: { city: 'Berlin' },
            rawArguments: '{"city":"Berlin"}',
            thoughtSignature: 'c2lnMQ==',
          },
          { id: 'c2', name: 'best', arguments: {}, rawArguments: '{}' },
        ],
        model: 'Gemini/gemini-2.5-flash',
      },
      { role: 'tool', toolCallId: 'c1', name: 'weather', content: '{"tempC":15}' },
      { role: 'tool', toolCallId: 'c2', content: 'Ruby' },
    ]);
    expect(value.contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Two calls.', thought: true },
        {
          functionCall: { name: 'weather', args: { city: 'Berlin' }, id: 'c1' },
          thoughtSignature: 'c2lnMQ==',
        },
        { functionCall: { name: 'best', args: {}, id: 'c2' } },
      ],
    });
    expect(value.contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'weather', response: { tempC: 15 }, id: 'c1' } },
        { functionResponse: { name: 'best', response: { result: 'Ruby' }, id: 'c2' } },
      ],
    });
    expect(value.contents).toHaveLength(3);
  });

  it('tool results: object → response, other JSON → { result }, text → { result: text }', () => {
    const responses = ['{"a":1}', '[1,2]', '42', '"quoted"', 'null', 'plain text', ''].map((content) => {
      const { value } = convert([{ role: 'tool', name: 'f', toolCallId: 'x', content }]);
      return value.contents[0]?.parts[0]?.functionResponse?.response;
    });
    expect(responses).toEqual([
      { a: 1 },
      { result: [1, 2] },
      { result: 42 },
      { result: 'quoted' },
      { result: null },
      { result: 'plain text' },
      { result: '' },
    ]);
  });

  it('a tool message whose name cannot be found is an INVALID_PARAMETER naming the field', () => {
    expect(() => convert([{ role: 'tool', toolCallId: 'unknown', content: 'x' }])).toThrow(
      /messages\[0\]\.name/,
    );
  });

  it('code execution parts from history are sent back (the seed crashed on them), with ids and signatures', () => {
    const { value } = convert([
      {
        role: 'assistant',
        content: [
          {
            type: 'executable_code',
            language: 'PYTHON',
            code: 'print(1)',
            id: 'e1',
            thoughtSignature: 'c2ln',
          },
          { type: 'code_execution_result', outcome: 'OUTCOME_OK', output: '1\n', id: 'e1' },
          { type: 'text', text: 'Done', thoughtSignature: 'dHh0' },
        ],
      },
    ]);
    expect(value.contents[0]?.parts).toEqual([
      { executableCode: { language: 'PYTHON', code: 'print(1)', id: 'e1' }, thoughtSignature: 'c2ln' },
      { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1\n', id: 'e1' } },
      { text: 'Done', thoughtSignature: 'dHh0' },
    ]);
  });

  it('signatures are dropped for a message produced by another provider (compared case-insensitively)', () => {
    const assistant = (model: string): LLMMessage => ({
      role: 'assistant',
      content: [
        { type: 'text', text: 'A', thoughtSignature: 'c2ln' },
        { type: 'text', text: '', thoughtSignature: 'ZW1wdHk=' },
      ],
      toolCalls: [{ id: 'c', name: 'f', arguments: {}, rawArguments: '{}', thoughtSignature: 'Y2FsbA==' }],
      model,
    });
    const same = convert([assistant('gemini/gemini-2.5-pro')]).value.contents[0]?.parts;
    expect(same).toEqual([
      { text: 'A', thoughtSignature: 'c2ln' },
      { text: '', thoughtSignature: 'ZW1wdHk=' },
      { functionCall: { name: 'f', args: {}, id: 'c' }, thoughtSignature: 'Y2FsbA==' },
    ]);
    const other = convert([assistant('OpenAI/gpt-4o')]).value.contents[0]?.parts;
    expect(other).toEqual([{ text: 'A' }, { functionCall: { name: 'f', args: {}, id: 'c' } }]);
    const unattributed = convert([{ ...assistant('x'), model: undefined } as LLMMessage]).value.contents[0]
      ?.parts;
    expect(unattributed?.[0]).toEqual({ text: 'A', thoughtSignature: 'c2ln' });
  });

  it('Gemini 3: unsigned replayed calls get skip_thought_signature_validator (not after a signed call)', () => {
    const { value, warnings } = convert(
      [
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'a', name: 'f', arguments: {}, rawArguments: '{}', thoughtSignature: 'c2ln' },
            { id: 'b', name: 'g', arguments: {}, rawArguments: '{}' },
          ],
          model: 'OpenAI/gpt-4o',
        },
        { role: 'tool', toolCallId: 'a', content: '1' },
        { role: 'tool', toolCallId: 'b', content: '2' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'c', name: 'f', arguments: {}, rawArguments: '{}', thoughtSignature: 'c2ln' },
            { id: 'd', name: 'g', arguments: {}, rawArguments: '{}' },
          ],
        },
      ],
      gemini3,
    );
    expect(value.contents[0]?.parts.map((part) => part.thoughtSignature)).toEqual([
      SKIP_THOUGHT_SIGNATURE,
      SKIP_THOUGHT_SIGNATURE,
    ]);
    expect(value.contents[2]?.parts.map((part) => part.thoughtSignature)).toEqual(['c2ln', undefined]);
    expect(warnings).toEqual([
      `2 function call(s) replayed without a thought signature; sent ${SKIP_THOUGHT_SIGNATURE}`,
    ]);
    // Gemini 2.5 does not need the sentinel.
    const old = convert([
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'x', name: 'f', arguments: {}, rawArguments: '{}' }],
      },
    ]);
    expect(old.value.contents[0]?.parts[0]?.thoughtSignature).toBeUndefined();
  });

  it('URL context: URLs appended to the last user turn without touching the caller messages', () => {
    const messages: LLMMessage[] = [
      { role: 'user', content: 'Summarise these pages' },
      { role: 'assistant', content: 'Which?' },
      { role: 'user', content: 'The two below' },
    ];
    const before = JSON.stringify(messages);
    const { value } = convert(messages, flash, ['https://a.example', 'https://b.example']);
    expect(value.contents[2]?.parts).toEqual([
      { text: 'The two below' },
      { text: '\n\n[Context URLs]:\nhttps://a.example\nhttps://b.example' },
    ]);
    expect(JSON.stringify(messages)).toBe(before);
    const again = convert(messages, flash, ['https://a.example']);
    expect(again.value.contents[2]?.parts).toHaveLength(2);
  });

  it('skips empty user messages and empty assistant turns with a warning', () => {
    const { value, warnings } = convert([
      { role: 'user', content: '' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(value.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
    expect(warnings).toEqual(['messages[0]: empty user message skipped']);
  });
});
