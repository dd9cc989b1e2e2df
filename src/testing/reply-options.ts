import type { ReplyCommon, SseFaults } from './reply-types.js';

/** The `ReplyCommon` fields of `options` that are set (builders pass them through). */
export function copyCommon(options: ReplyCommon | undefined): ReplyCommon {
  const result: ReplyCommon = {};
  if (options?.status != null) result.status = options.status;
  if (options?.headers != null) result.headers = options.headers;
  if (options?.delayMs != null) result.delayMs = options.delayMs;
  if (options?.compress != null) result.compress = options.compress;
  return result;
}

/** The `SseFaults` fields of `options` that are set. */
export function copyFaults(options: SseFaults | undefined): SseFaults {
  const result: SseFaults = {};
  if (options?.cutAfter != null) result.cutAfter = options.cutAfter;
  if (options?.stallAfter != null) result.stallAfter = options.stallAfter;
  if (options?.malformedAt != null) result.malformedAt = options.malformedAt;
  if (options?.eventDelayMs != null) result.eventDelayMs = options.eventDelayMs;
  return result;
}
