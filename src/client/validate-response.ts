import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { LLMResponse } from '../spec/index.js';
import type { Clock } from '../util/clock.js';
import type { CallScope } from './call-scope.js';

/**
 * A check of a call's final answer (`validateResponse`): throw (or reject) to refuse it. May be async.
 * @example (response) => { if (!response.text.includes('€')) throw new Error('the price must be in euros'); }
 */
export type ResponseValidator = (response: LLMResponse) => void | Promise<void>;

/** Longest excerpt of a refused answer kept in `details.text`. */
const ANSWER_EXCERPT = 500;

/**
 * The "an image is required" preset (the seed's `validation_policy.require_image`): refuses an answer whose
 * `images` is empty. `createImage` uses it unless given its own `validateResponse`; pass it to `chat`,
 * `generate` or `stream` to re-ask image models that answered with text only.
 * @example await llm.chat('Draw a cat', { model: 'Gemini/gemini-2.5-flash-image', validateResponse: requireImage })
 */
export function requireImage(response: LLMResponse): void {
  if (response.images.length > 0) return;
  const text = response.text.trim();
  throw new Error(
    text === ''
      ? 'the answer has no image'
      : `the answer has no image (it answered: ${text.length > 200 ? `${text.slice(0, 200)}…` : text})`,
  );
}

/** Checks `validator` is a function (`options.validateResponse`). */
export function checkValidator(validator: unknown, path = 'options.validateResponse'): ResponseValidator {
  if (typeof validator !== 'function') {
    throw new LLMError('INVALID_PARAMETER', `${path}: must be a function (response) => void`, {
      details: { path },
    });
  }
  return validator as ResponseValidator;
}

/**
 * The validation budget of one call: each refused answer is asked again on the same model (same messages, a
 * fresh pass through the pipeline, so a new key selection) up to `maxRetries` times within the deadline; then
 * `GENERATION_FAILED` with the last reason. A refusal never touches key health: the key did its job.
 */
export class ResponseValidation {
  private rejections = 0;

  constructor(
    private readonly validator: ResponseValidator,
    private readonly maxRetries: number,
    private readonly model: ResolvedModel,
    private readonly scope: CallScope,
    private readonly clock: Clock,
  ) {}

  /**
   * True when `response` passes; false when it was refused and may be asked again.
   * @throws LLMError `GENERATION_FAILED` when the budget or the deadline is spent (the caller adds the
   *   call's attempts); `ABORTED` when the call was.
   */
  async accepts(response: LLMResponse): Promise<boolean> {
    try {
      await this.validator(response);
      return true;
    } catch (error) {
      this.rejections++;
      // An aborted call ends as ABORTED, whatever the validator made of the answer.
      if (this.scope.signal?.aborted === true) throw this.scope.reason();
      if (this.rejections > this.maxRetries) throw this.failed(response, error, 'budget');
      if (this.clock.now() >= this.scope.deadline) throw this.failed(response, error, 'deadline');
      return false;
    }
  }

  private failed(response: LLMResponse, error: unknown, why: 'budget' | 'deadline'): LLMError {
    const reason = error instanceof Error ? error.message : String(error);
    const asked = this.rejections === 1 ? 'its answer was' : `all ${this.rejections} answers were`;
    const stop = why === 'budget' ? '' : ' (no time was left to ask again)';
    const text = response.text;
    return new LLMError(
      'GENERATION_FAILED',
      `${this.model.fullName}: ${asked} refused by validateResponse${stop}; last reason: ${reason}`,
      {
        provider: this.model.provider.name,
        model: this.model.fullName,
        details: {
          reason,
          rejections: this.rejections,
          text: text.length > ANSWER_EXCERPT ? `${text.slice(0, ANSWER_EXCERPT)}…` : text,
          images: response.images.length,
          ...(why === 'deadline' ? { deadline: true } : {}),
        },
        cause: error,
      },
    );
  }
}
