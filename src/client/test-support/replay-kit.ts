import { it } from 'vitest';
import { isRecord } from '../../util/safe-json.js';
import { recordingsIn } from './e2e-kit.js';

/** Bookkeeping of the replay suites: which recordings a suite replayed, so none is left out. */
export class ReplayCoverage {
  private readonly covered = new Set<string>();

  constructor(private readonly folders: readonly string[]) {}

  /** Registers a test that replays `files` (the first one names the test). */
  replay(
    files: string | readonly string[],
    label: string,
    run: () => Promise<void>,
    timeoutMs?: number,
  ): void {
    const list = typeof files === 'string' ? [files] : files;
    for (const file of list) this.covered.add(file);
    it(`${list[0]}: ${label}`, run, timeoutMs);
  }

  /** Recordings in the suite's folders that no test replayed. */
  missing(): string[] {
    return recordingsIn(this.folders).filter((file) => !this.covered.has(file));
  }

  /** Replayed names that are not recordings (typos). */
  unknown(): string[] {
    const all = new Set(recordingsIn(this.folders));
    return [...this.covered].filter((file) => !all.has(file));
  }
}

/** What matters of an OpenAI chat request body when comparing it with a recorded one. */
export function openaiChatShape(body: unknown) {
  const b = isRecord(body) ? body : {};
  const messages = Array.isArray(b.messages) ? (b.messages as Record<string, unknown>[]) : [];
  const options = isRecord(b.stream_options) ? b.stream_options : {};
  const tools = Array.isArray(b.tools) ? (b.tools as Record<string, unknown>[]) : [];
  return {
    model: b.model,
    stream: b.stream === true,
    includeUsage: options.include_usage === true,
    messages: messages.map((message) => {
      const calls = Array.isArray(message.tool_calls)
        ? (message.tool_calls as Record<string, unknown>[])
        : [];
      const content = message.content;
      return {
        role: message.role,
        content: typeof content === 'string' && content !== '' ? content : undefined,
        toolCalls: calls.map((call) => {
          const fn = isRecord(call.function) ? call.function : {};
          return {
            name: fn.name,
            arguments: JSON.parse(
              typeof fn.arguments === 'string' && fn.arguments !== '' ? fn.arguments : '{}',
            ) as unknown,
          };
        }),
        toolCallId: message.tool_call_id,
      };
    }),
    tools: tools.map((tool) => (isRecord(tool.function) ? tool.function.name : undefined)),
  };
}

/** The same shape without tool-call ids (when the recording's client made up its own ids). */
export function withoutIds(shape: ReturnType<typeof openaiChatShape>) {
  return { ...shape, messages: shape.messages.map(({ toolCallId: _id, ...rest }) => rest) };
}

/** What matters of a Gemini `generateContent` body: the turns (role + part kinds + texts), tools, system text. */
export function geminiChatShape(body: unknown) {
  const b = isRecord(body) ? body : {};
  const contents = Array.isArray(b.contents) ? (b.contents as Record<string, unknown>[]) : [];
  const system =
    isRecord(b.systemInstruction) && Array.isArray(b.systemInstruction.parts)
      ? b.systemInstruction.parts
      : [];
  const tools = Array.isArray(b.tools) ? (b.tools as Record<string, unknown>[]) : [];
  return {
    contents: contents.map((content) => ({
      role: content.role,
      parts: (Array.isArray(content.parts) ? (content.parts as Record<string, unknown>[]) : []).map(
        (part) => {
          const kind =
            Object.keys(part).find((key) => key !== 'thoughtSignature' && key !== 'thought') ?? 'empty';
          const text = typeof part.text === 'string' ? part.text : undefined;
          return text !== undefined
            ? { kind, text, ...(part.thought === true ? { thought: true } : {}) }
            : { kind };
        },
      ),
    })),
    system: (system as Record<string, unknown>[]).map((part) => part.text),
    tools: tools.map((tool) => Object.keys(tool).map(snakeToCamel).sort().join(',')),
  };
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
