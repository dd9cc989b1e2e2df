import type { CallOptions } from '../client/options.js';
import type { Exchange } from './exchange.js';
import type { GatewayContext } from './gateway-context.js';

/**
 * `model`, `signal` and `timeoutMs` of a library call. `model` goes through unchanged: a route name or an
 * array (an ad-hoc fallback chain, API.md §14) reaches the library as the client sent it. `signal: false`
 * leaves the signal out (a stream is stopped with `stream.abort`, through `exchange.whenAborted`).
 */
export function callOptions(
  context: GatewayContext,
  exchange: Exchange,
  model: string | string[],
  signal = true,
): CallOptions {
  // CallOptions.model widens to `string | string[]` with routes (§14); until then the library rejects an array.
  const options: CallOptions = { model: model as string };
  if (signal) options.signal = exchange.signal;
  if (context.config.requestTimeoutMs != null) options.timeoutMs = context.config.requestTimeoutMs;
  return options;
}
