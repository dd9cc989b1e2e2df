import type {
  AttemptRecord,
  LLMContentPart,
  LLMMessage,
  LLMResponse,
  ParsedChat,
  ToolResultRecord,
} from '../spec/index.js';

/** The assistant turn of a parsed answer, ready to append to a history (signatures and citations kept on their parts). */
export function assistantMessageOf(parsed: ParsedChat, model: string): LLMMessage {
  const plain = parsed.contentParts.every(
    (part) => part.type === 'text' && part.thoughtSignature == null && part.citations == null,
  );
  const content: string | LLMContentPart[] = plain ? parsed.text : parsed.contentParts;
  const message: LLMMessage = { role: 'assistant', content, model };
  if (parsed.toolCalls.length > 0) message.toolCalls = parsed.toolCalls;
  return message;
}

/** Assembles the public `LLMResponse` from a parsed answer and the call's bookkeeping. */
export function buildResponse(
  parsed: ParsedChat,
  model: string,
  attempts: AttemptRecord[],
  warnings: string[],
  toolResults?: ToolResultRecord[],
): LLMResponse {
  const response: LLMResponse = {
    text: parsed.text,
    contentParts: parsed.contentParts,
    toolCalls: parsed.toolCalls,
    finishReason: parsed.finishReason,
    images: parsed.images,
    model,
    attempts,
    warnings: warnings.length === 0 ? parsed.warnings : [...warnings, ...parsed.warnings],
    message: assistantMessageOf(parsed, model),
  };
  if (parsed.rawFinishReason != null) response.rawFinishReason = parsed.rawFinishReason;
  if (parsed.usage != null) response.usage = parsed.usage;
  if (parsed.thoughtText != null) response.thoughtText = parsed.thoughtText;
  if (parsed.grounding != null) response.grounding = parsed.grounding;
  if (toolResults != null && toolResults.length > 0) response.toolResults = toolResults;
  return response;
}
