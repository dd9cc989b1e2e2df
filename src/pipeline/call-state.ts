import type { PipelineRequest } from '../spec/index.js';

/**
 * What the retry layer shares with the layers below it (key selection, timeout) for one call. The retry
 * layer owns it: it creates one per call, resets it before each attempt and reads it after (which key
 * was used, when the attempt was sent, how long it waited for a key). Key selection fills it in.
 */
export interface CallState {
  /** Key ids this call must not use again (`other-key` failures). */
  exclude: Set<string> | undefined;
  /** Set by key selection once it holds a key and sends the attempt. */
  sent: boolean;
  /** `clock.now()` when the attempt was sent. */
  sentAt: number;
  keyId: string | undefined;
  /** Time this attempt waited for a key. */
  keyWaitMs: number;
}

/**
 * The request below the retry layer: the attempt's own copy, made by the retry layer, carrying the
 * call's `callState`. A request with `callState` may be changed in place by the layers below (key
 * selection sets headers and `keyId`, timeout sets the abort trigger) instead of being copied again.
 * User middlewares run above the retry layer and never see one.
 */
export interface AttemptRequest extends PipelineRequest {
  /** Set by the retry layer on its per-attempt copy; absent on requests built by anyone else. */
  callState?: CallState;
}

/** The call state of an attempt copy, or undefined for a request not made by the retry layer. */
export function callStateOf(request: PipelineRequest): CallState | undefined {
  return (request as AttemptRequest).callState;
}
