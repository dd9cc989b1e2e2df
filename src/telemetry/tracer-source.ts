import type { ResolvedTelemetry } from '../config/resolved-config.js';
import { PACKAGE_VERSION } from '../http/request-headers.js';
import { loadOtelApi } from './load-otel-api.js';
import type { OtelApi, OtelTracer, OtelTracerProvider } from './otel-types.js';

/** The instrumentation scope of the spans. */
export const TRACER_NAME = 'switchboard-llm';

/**
 * Where `@opentelemetry/api` 1.x keeps what was registered globally (`trace.setGlobalTracerProvider`,
 * `NodeSDK.start()`): absent or without `trace` when no tracer provider is registered.
 */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/** Where a client's spans come from: the tracer of this call, or undefined when nothing would record them. */
export interface TracerSource {
  /** The API, loaded on first need (undefined when telemetry is off or `@opentelemetry/api` is not installed). */
  readonly api: OtelApi | undefined;
  /** The tracer for the call starting now; undefined → no span objects at all. */
  tracer(): OtelTracer | undefined;
}

const OFF: TracerSource = { api: undefined, tracer: () => undefined };

function providerRegistered(): boolean {
  const registered = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OTEL_GLOBAL];
  return registered?.trace != null;
}

/**
 * The tracer source of a client. `telemetry: false` → never (the API is never loaded). A configured `tracer` →
 * always it (the API is loaded with the first call). Otherwise the global provider's `switchboard-llm` tracer,
 * asked per call, so a provider registered after `createLLM` counts; while none is registered a call reads one
 * global property and nothing is loaded — no span objects, no attribute maps.
 */
export function createTracerSource(telemetry: ResolvedTelemetry | undefined): TracerSource {
  if (telemetry?.enabled === false) return OFF;
  const configured = telemetry?.tracer as OtelTracer | undefined;
  let api: OtelApi | undefined;
  let loaded = false;
  const load = (): OtelApi | undefined => {
    if (!loaded) {
      loaded = true;
      api = loadOtelApi();
    }
    return api;
  };
  if (configured != null) {
    return {
      get api() {
        return load();
      },
      tracer: () => (load() === undefined ? undefined : configured),
    };
  }
  let noop: OtelTracerProvider | undefined;
  let delegate: OtelTracerProvider | undefined;
  let tracer: OtelTracer | undefined;
  return {
    get api() {
      return load();
    },
    tracer() {
      if (!providerRegistered()) return undefined;
      const otel = load();
      if (otel === undefined) return undefined;
      noop ??= new otel.ProxyTracerProvider().getDelegate();
      const global = otel.trace.getTracerProvider();
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
