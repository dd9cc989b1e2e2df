import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatOptions } from '../client/options.js';
import { LLMError } from '../errors/llm-error.js';
import type { LLMResponse } from '../spec/index.js';
import { admit, authorizeModel, noteError, noteResponse, settle } from './admission.js';
import { readRequestJson } from './body-reader.js';
import { callOptions } from './call-options.js';
import { ChunkEncoder } from './chunk-encoder.js';
import type { Exchange } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';
import { type GatewayChatRequest, parseChatRequest } from './openai-request.js';
import { chatCompletion } from './openai-response.js';
import { sendJson } from './respond.js';
import { toGatewayError } from './to-gateway-error.js';

/** `POST /v1/chat/completions`: JSON or an SSE stream relayed event by event. */
export async function handleChat(
  context: GatewayContext,
  exchange: Exchange,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readRequestJson(context, exchange, req);
  const parsed = parseChatRequest(body);
  const request = parsed.value;
  if (parsed.warnings.length > 0) exchange.warnings = parsed.warnings;
  exchange.stream = request.stream;
  authorizeModel(context, exchange, request.model);
  const lease = await admit(context, exchange);
  const options: ChatOptions = {
    ...callOptions(context, exchange, request.model, !request.stream),
    maxToolRounds: 0,
  };
  if (request.tools != null) options.tools = request.tools;
  if (request.toolChoice != null) options.toolChoice = request.toolChoice;
  if (Object.keys(request.config).length > 0) options.config = request.config;
  let response: LLMResponse | undefined;
  try {
    response = request.stream
      ? await relayStream(context, exchange, res, request, options)
      : await answer(context, exchange, res, request, options);
  } catch (error) {
    noteError(exchange, error);
    throw error;
  } finally {
    settle(context, exchange, lease, response);
  }
}

async function answer(
  context: GatewayContext,
  exchange: Exchange,
  res: ServerResponse,
  request: GatewayChatRequest,
  options: ChatOptions,
): Promise<LLMResponse> {
  const response = await context.llm.generate(request.messages, options);
  noteResponse(exchange, response);
  sendJson(
    exchange,
    res,
    200,
    chatCompletion(response, `chatcmpl-${exchange.id}`, Math.floor(exchange.startedAt / 1000)),
  );
  return response;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/**
 * Relays a stream: headers go out with the first event (an error before it is a plain HTTP error, and a
 * route may still fall back), then one SSE frame per event; a full socket buffer pauses the upstream read. An
 * error after the first byte ends the stream with an OpenAI error frame and no `[DONE]`.
 * The first frame is sent at once (the socket uncorked); later frames produced in the same turn of the event
 * loop (the events of one network read) are joined into one write at the end of the turn, instead of a
 * chunked-encoding write per frame.
 * Returns the final response, or `undefined` when the stream failed after its first byte.
 */
async function relayStream(
  context: GatewayContext,
  exchange: Exchange,
  res: ServerResponse,
  request: GatewayChatRequest,
  options: ChatOptions,
): Promise<LLMResponse | undefined> {
  const stream = context.llm.stream(request.messages, options);
  // The client leaving (or the drain deadline) stops the stream: no AbortController of the gateway's own.
  exchange.whenAborted((reason) => stream.abort(reason));
  const label = typeof request.model === 'string' ? request.model : (request.model[0] ?? '');
  const encoder = new ChunkEncoder(`chatcmpl-${exchange.id}`, Math.floor(exchange.startedAt / 1000), label);
  const out = new FrameWriter(exchange, res);
  for await (const event of stream) {
    let frame: string | undefined;
    switch (event.type) {
      case 'text-delta':
        if (event.text !== '') frame = encoder.text(event.text);
        break;
      case 'reasoning-delta':
        if (event.text !== '') frame = encoder.reasoning(event.text);
        break;
      case 'tool-call':
        frame = encoder.toolCall(event.toolCall);
        break;
      case 'tool-result':
        break;
      case 'finish':
        noteResponse(exchange, event.response);
        out.end(encoder.finish(event.response, request.includeUsage));
        return event.response;
      case 'error': {
        if (!out.open) throw event.error;
        noteError(exchange, event.error);
        const error = toGatewayError(event.error);
        exchange.errorCode = error.code ?? error.type;
        out.end(ChunkEncoder.error(error.body()));
        return undefined;
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
    if (frame !== undefined) {
      const full = out.write(frame);
      if (full !== undefined) await full;
    }
  }
  // The iteration ended without `finish` or `error`: the call was abandoned (the client left).
  if (!out.open) throw new LLMError('ABORTED', 'The client closed the connection.');
  out.end('');
  return undefined;
}

/** The SSE frames of one response: the first written at once, later ones joined per event-loop turn. */
class FrameWriter {
  open = false;
  private pending = '';
  private scheduled = false;
  private readonly flushSoon = () => this.flush();

  constructor(
    private readonly exchange: Exchange,
    private readonly res: ServerResponse,
  ) {}

  /** Queues a frame; resolves at once unless the socket buffer is full (then when it drains). */
  write(frame: string): Promise<void> | undefined {
    const res = this.res;
    if (!this.open) {
      this.writeHead();
      this.exchange.bytesOut += Buffer.byteLength(frame);
      res.write(frame);
      // Node corks the socket until the next tick: the first byte would wait for every event parsed meanwhile.
      res.socket?.uncork();
    } else {
      this.pending += frame;
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(this.flushSoon);
      }
    }
    return res.writableNeedDrain ? drained(res) : undefined;
  }

  /** Ends the response with `last` after the frames still queued. */
  end(last: string): void {
    const text = this.take() + last;
    if (!this.open) this.writeHead();
    this.exchange.bytesOut += Buffer.byteLength(text);
    this.res.end(text);
  }

  /** The 200 and SSE headers, with the first frame: the time to first byte is taken here. */
  private writeHead(): void {
    this.open = true;
    this.exchange.status = 200;
    this.exchange.ttfbMs = this.exchange.elapsedMs();
    this.res.writeHead(200, { ...SSE_HEADERS, 'x-request-id': this.exchange.id });
  }

  private flush(): void {
    const text = this.take();
    if (text === '' || this.res.writableEnded) return;
    this.exchange.bytesOut += Buffer.byteLength(text);
    this.res.write(text);
  }

  private take(): string {
    this.scheduled = false;
    const text = this.pending;
    this.pending = '';
    return text;
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
