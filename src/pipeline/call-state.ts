import type { PipelineRequest } from '../spec/index.js';

/**
 * Private channel between the retry layer and key selection (a symbol: copied by `{ ...request }`).
 * A request carrying it is the attempt's own copy made by the retry layer, which the layers below it
 * (key selection, timeout; never user code) fill in instead of copying again.
 */
export const CALL_STATE: unique symbol = Symbol('switchboard.callState');

/** Per-call state the retry layer owns and key selection fills in for each attempt. */
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

export type InternalRequest = PipelineRequest & { [CALL_STATE]?: CallState };

export function callStateOf(request: PipelineRequest): CallState | undefined {
  return (request as InternalRequest)[CALL_STATE];
}
