/**
 * Why generation stopped, unified across providers. The provider's own value is kept in
 * `LLMResponse.rawFinishReason`.
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';
