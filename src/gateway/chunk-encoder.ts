import type { LLMResponse, LLMToolCall } from '../spec/index.js';
import { finishReasonOf, imagesJson, toolCallJson, usageJson } from './openai-response.js';

const CHOICE_END = ',"logprobs":null,"finish_reason":null}]}\n\n';

/**
 * Encodes stream events as OpenAI `chat.completion.chunk` SSE frames (`data: {…}\n\n`), built from a
 * precomputed prefix so a text delta costs one `JSON.stringify` of the text. The first frame carries
 * `role: 'assistant'`; tool calls get consecutive `index`es; `finish` gives the finish chunk (then `usage` in a
 * chunk of its own when asked) and `[DONE]`.
 */
export class ChunkEncoder {
  private readonly head: string;
  private toolIndex = 0;
  private started = false;

  constructor(
    private readonly id: string,
    private readonly created: number,
    private readonly model: string,
  ) {
    this.head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
  }

  private delta(fields: string): string {
    if (!this.started) {
      this.started = true;
      return `${this.head}{"role":"assistant",${fields}}${CHOICE_END}`;
    }
    return `${this.head}{${fields}}${CHOICE_END}`;
  }

  text(text: string): string {
    return this.delta(`"content":${JSON.stringify(text)}`);
  }

  reasoning(text: string): string {
    return this.delta(`"reasoning_content":${JSON.stringify(text)}`);
  }

  toolCall(call: LLMToolCall): string {
    const json = { index: this.toolIndex++, ...toolCallJson(call) };
    return this.delta(`"tool_calls":[${JSON.stringify(json)}]`);
  }

  /** The end of a stream: the finish chunk (with images an answer produced), the usage chunk when asked, `[DONE]`. */
  finish(response: LLMResponse, includeUsage: boolean): string {
    const model = JSON.stringify(response.model);
    const base = `{"id":${JSON.stringify(this.id)},"object":"chat.completion.chunk","created":${this.created},"model":${model}`;
    const images = response.images.length > 0 ? `"images":${JSON.stringify(imagesJson(response))}` : '';
    const role = this.started ? '' : `"role":"assistant","content":""${images !== '' ? ',' : ''}`;
    this.started = true;
    let out = `data: ${base},"choices":[{"index":0,"delta":{${role}${images}},"logprobs":null,"finish_reason":${JSON.stringify(finishReasonOf(response))}}]}\n\n`;
    if (includeUsage && response.usage != null) {
      out += `data: ${base},"choices":[],"usage":${JSON.stringify(usageJson(response.usage))}}\n\n`;
    }
    return `${out}data: [DONE]\n\n`;
  }

  /** The frame that ends a stream that failed after its first byte: an OpenAI error object, no `[DONE]`. */
  static error(body: unknown): string {
    return `data: ${JSON.stringify(body)}\n\n`;
  }
}
