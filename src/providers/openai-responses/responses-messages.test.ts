import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMMessage } from '../../spec/index.js';
import { toResponsesInput } from './responses-messages.js';

// First bytes of a PNG and a JPEG, base64.
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const JPEG_B64 = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U';

describe('toResponsesInput', () => {
  it('puts leading system messages into instructions and keeps later ones in place', () => {
    const { value } = toResponsesInput(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Now answer in German.' },
      ],
      'auto',
    );
    expect(value.instructions).toBe('Be brief.\n\nAnswer in French.');
    expect(value.input).toEqual([
      { type: 'message', role: 'user', content: 'Hi' },
      { type: 'message', role: 'system', content: 'Now answer in German.' },
    ]);
  });

  it('converts user parts to input_text, input_image and input_file', () => {
    const { value, warnings } = toResponsesInput(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image', data: PNG_B64 },
            { type: 'image', mimeType: 'image/jpeg', data: JPEG_B64 },
            { type: 'image', url: 'https://example.com/cat.png' },
            { type: 'file', mimeType: 'application/pdf', data: 'JVBERi0xLjcK', name: 'report.pdf' },
            { type: 'file', url: 'https://example.com/paper.pdf' },
            { type: 'file', url: 'file-abc123' },
            { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
          ],
        },
      ],
      'high',
    );
    expect(value.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Compare these' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG_B64}`, detail: 'high' },
          { type: 'input_image', image_url: `data:image/jpeg;base64,${JPEG_B64}`, detail: 'high' },
          { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'high' },
          {
            type: 'input_file',
            filename: 'report.pdf',
            file_data: 'data:application/pdf;base64,JVBERi0xLjcK',
          },
          { type: 'input_file', file_url: 'https://example.com/paper.pdf' },
          { type: 'input_file', file_id: 'file-abc123' },
        ],
      },
    ]);
    expect(warnings).toEqual([
      'messages[0].content[7]: audio input is not supported by the Responses API; dropped',
    ]);
  });

  it('replays a tool round trip as function_call and function_call_output items', () => {
    const messages: LLMMessage[] = [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'thought', text: 'I should call the tool twice.' },
          { type: 'text', text: 'Checking.' },
        ],
        toolCalls: [
          {
            id: 'call_1',
            name: 'get_weather',
            arguments: { city: 'Paris' },
            rawArguments: '{"city":"Paris"}',
          },
          { id: 'call_2', name: 'get_weather', arguments: { city: 'Rome' }, rawArguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"tempC":21}' },
      {
        role: 'tool',
        toolCallId: 'call_2',
        name: 'get_weather',
        content: [{ type: 'text', text: '{"tempC":25}' }],
      },
      { role: 'assistant', content: 'Paris 21°C, Rome 25°C.' },
      { role: 'user', content: 'Thanks' },
    ];
    const { value, warnings } = toResponsesInput(messages, 'auto');
    expect(value.instructions).toBeUndefined();
    expect(value.input).toEqual([
      { type: 'message', role: 'user', content: 'Weather in Paris and Rome?' },
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"tempC":21}' },
      { type: 'function_call_output', call_id: 'call_2', output: '{"tempC":25}' },
      { type: 'message', role: 'assistant', content: 'Paris 21°C, Rome 25°C.' },
      { type: 'message', role: 'user', content: 'Thanks' },
    ]);
    // Never the seed's shapes: assistant input_text, role "tool".
    expect(JSON.stringify(value.input)).not.toMatch(/"role":"tool"|input_text/);
    expect(warnings).toEqual([expect.stringMatching(/^1 thought part\(s\) not replayed/)]);
  });

  it('skips an empty assistant turn that only carried tool calls', () => {
    const { value } = toResponsesInput(
      [
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c', name: 'f', arguments: {}, rawArguments: '{}' }],
        },
      ],
      'auto',
    );
    expect(value.input).toEqual([{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }]);
  });

  it('rejects a tool message without toolCallId, naming the field', () => {
    const run = () => toResponsesInput([{ role: 'tool', content: 'x' }], 'auto');
    expect(run).toThrow(LLMError);
    expect(run).toThrow(/messages\[0\]\.toolCallId/);
  });

  it('reports parts it cannot send instead of dropping them silently', () => {
    const { value, warnings } = toResponsesInput(
      [
        { role: 'user', content: [{ type: 'image', url: 'gs://bucket/cat.png' }] },
        { role: 'assistant', content: [{ type: 'executable_code', language: 'PYTHON', code: 'print(1)' }] },
      ],
      'auto',
    );
    expect(value.input).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/gs:\/\/bucket/);
    expect(warnings[1]).toMatch(/executable_code/);
  });
});
