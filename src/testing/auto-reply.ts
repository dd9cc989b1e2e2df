import { isRecord } from '../util/safe-json.js';
import { anthropicErrorReply, anthropicMessageReply, anthropicStreamReply } from './anthropic-replies.js';
import { geminiEmbeddingsReply, openaiEmbeddingsReply } from './auto-embeddings.js';
import { imagesGenerationProblem, imagesReply, TINY_PNG_BASE64 } from './auto-images.js';
import { responsesReply } from './auto-responses.js';
import type { RecordedRequest } from './fake-provider-types.js';
import { geminiErrorReply, geminiReply, geminiStreamReply } from './gemini-replies.js';
import { countWords, openaiChatReply, openaiErrorReply, openaiStreamReply } from './openai-replies.js';
import type { Reply } from './reply-types.js';
import { echoText, lastUserTextOf, splitDeltas } from './request-text.js';
import { FAKE_IMAGE_PATH, type Route } from './route-match.js';

/** What automatic replies need from the server. */
export interface AutoContext {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** A fresh number for response ids. */
  nextId(): number;
}

function openaiChat(request: RecordedRequest, body: Record<string, unknown>, id: string): Reply {
  const text = echoText(body);
  const options = {
    id: `chatcmpl-${id}`,
    model: request.model ?? 'fake-model',
    usage: { promptTokens: Math.max(1, countWords(lastUserTextOf(body))) },
  };
  if (body.stream !== true) return openaiChatReply(text, options);
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  return openaiStreamReply(splitDeltas(text), {
    ...options,
    includeUsage: streamOptions.include_usage === true,
  });
}

function gemini(request: RecordedRequest, body: Record<string, unknown>, stream: boolean): Reply {
  const text = echoText(body);
  const options = {
    model: request.model ?? 'fake-model',
    usage: { promptTokens: Math.max(1, countWords(lastUserTextOf(body))) },
  };
  if (!stream) return geminiReply(text, options);
  const reply = geminiStreamReply(splitDeltas(text), options);
  // Without `alt=sse` Gemini streams one JSON array of the same chunks.
  return request.query.alt === 'sse' ? reply : { json: [...(reply.sse as Iterable<object>)] };
}

function anthropic(request: RecordedRequest, body: Record<string, unknown>, id: string): Reply {
  const text = echoText(body);
  const options = {
    id: `msg_${id}`,
    model: request.model ?? 'fake-model',
    usage: { inputTokens: Math.max(1, countWords(lastUserTextOf(body))) },
  };
  return body.stream === true
    ? anthropicStreamReply(splitDeltas(text), options)
    : anthropicMessageReply(text, options);
}

function notFound(request: RecordedRequest, route: Route): Reply {
  if (route.dialect === 'anthropic') {
    return anthropicErrorReply(
      404,
      'not_found_error',
      `fake provider: no route for ${request.method} ${request.path}`,
    );
  }
  if (route.dialect === 'gemini') {
    return geminiErrorReply(
      404,
      'NOT_FOUND',
      `fake provider: no route for ${request.method} ${request.path}`,
    );
  }
  return openaiErrorReply(404, { message: `Invalid URL (${request.method} ${request.path})`, code: null });
}

/** The answer when nothing is scripted: `echo: <last user text>` in the route's wire format (OpenAI, Gemini, Anthropic). */
export function automaticReply(request: RecordedRequest, route: Route, context: AutoContext): Reply {
  const body = isRecord(request.body) ? request.body : {};
  const id = `fake-${context.nextId()}`;
  const model = request.model ?? 'fake-model';
  switch (route.kind) {
    case 'openai.chat':
      return openaiChat(request, body, id);
    case 'openai.embeddings':
      return openaiEmbeddingsReply(body, model);
    case 'openai.images.generations':
      return imagesGenerationProblem(body) ?? imagesReply(body, context.url + FAKE_IMAGE_PATH);
    case 'openai.images.edits':
      return imagesReply(body, context.url + FAKE_IMAGE_PATH);
    case 'openai.responses':
      return responsesReply(id, model, echoText(body), lastUserTextOf(body), body.stream === true);
    case 'openai.models':
      return {
        json: { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] },
      };
    case 'gemini.generateContent':
      return gemini(request, body, false);
    case 'gemini.streamGenerateContent':
      return gemini(request, body, true);
    case 'gemini.embedContent':
      return geminiEmbeddingsReply(body, false);
    case 'gemini.batchEmbedContents':
      return geminiEmbeddingsReply(body, true);
    case 'gemini.models':
      return {
        json: {
          models: [
            {
              name: 'models/fake-model',
              displayName: 'Fake model',
              supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
            },
          ],
        },
      };
    case 'anthropic.messages':
      return anthropic(request, body, id);
    case 'anthropic.countTokens':
      return { json: { input_tokens: Math.max(1, countWords(lastUserTextOf(body))) } };
    case 'fake.image':
      return { text: Buffer.from(TINY_PNG_BASE64, 'base64'), contentType: 'image/png' };
    case 'unknown':
      return notFound(request, route);
    default: {
      const unreachable: never = route.kind;
      return unreachable;
    }
  }
}
