import type { LLMResponse } from '../../spec/index.js';
import { TINY_PNG_BASE64 } from '../auto-images.js';
import { fail } from './conformance-assert.js';
import { missingChatBuilders, type Run } from './conformance-run.js';
import type { ConformanceTarget, WireKit } from './conformance-types.js';

/** The call the error, abort and deadline cases make: `chat` on the chat model (when the kit has the chat
 * builders), else `createImage` on the image model. */
export interface PrimaryCall<R> {
  /** `Target/<model>` the call goes to. */
  model: string;
  /** A successful answer to it. */
  ok(): R;
  call(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<LLMResponse>;
}

export function primaryCall<R>(run: Run<R>, target: ConformanceTarget<R>): PrimaryCall<R> {
  const { llm, wire } = run;
  if (target.models.chat != null && missingChatBuilders(wire as WireKit<unknown>).length === 0) {
    const model = run.model('chat');
    return {
      model,
      ok: () => run.chat.text('ok'),
      call: (options) => llm.chat('Hello', { model, ...options }),
    };
  }
  const model = run.model('image');
  const images = wire.images ?? fail('images');
  return {
    model,
    ok: () => images.call(wire, [{ mimeType: 'image/png', base64: TINY_PNG_BASE64 }]),
    call: (options) => llm.createImage('a red square', { model, ...options }),
  };
}
