import type { ResolvedTelemetry } from '../config/resolved-config.js';
import { PACKAGE_VERSION } from '../http/request-headers.js';
import { loadOtelApi } from './load-otel-api.js';
import type { OtelApi, OtelTracer, OtelTracerProvider } from './otel-types.js';

/** The instrumentation scope of the spans. */
export const TRACER_NAME = 'switchboard-llm';

/** Where a client's spans come from: the tracer of this call, or undefined when nothing would record them. */
export interface TracerSource {
  /** The loaded API (undefined when telemetry is off or `@opentelemetry/api` is not installed). */
  readonly api: OtelApi | undefined;
  /** The tracer for the call starting now; undefined → no span objects at all. */
  tracer(): OtelTracer | undefined;
}

const OFF: TracerSource = { api: undefined, tracer: () => undefined };

/**
 * The tracer source of a client. `telemetry: false` → never (the API is not loaded). A configured `tracer` →
 * always it. Otherwise the global provider's `switchboard-llm` tracer, asked per call, so a provider registered
 * after `createLLM` counts — but only when one is registered: the API's no-op provider (nothing registered)
 * yields no tracer, so such calls build no span objects and no attribute maps.
 */
export function createTracerSource(telemetry: ResolvedTelemetry | undefined): TracerSource {
  if (telemetry?.enabled === false) return OFF;
  const api = loadOtelApi();
  if (api === undefined) return OFF;
  const configured = telemetry?.tracer as OtelTracer | undefined;
  if (configured != null) return { api, tracer: () => configured };
  const noop = new api.ProxyTracerProvider().getDelegate();
  let delegate: OtelTracerProvider | undefined;
  let tracer: OtelTracer | undefined;
  return {
    api,
    tracer() {
      const global = api.trace.getTracerProvider();
      const current = global.getDelegate?.() ?? global;
      if (current === noop) return undefined;
      if (current !== delegate) {
        delegate = current;
        tracer = current.getTracer(TRACER_NAME, PACKAGE_VERSION);
      }
      return tracer;
    },
  };
}
