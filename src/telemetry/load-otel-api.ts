import { createRequire } from 'node:module';
import type { OtelApi } from './otel-types.js';

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` (an optional peer dependency), loaded synchronously on first use and cached; `undefined`
 * when it is not installed. Loaded only by clients whose config leaves telemetry on: `telemetry: false` never
 * touches it.
 */
export function loadOtelApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      const api = createRequire(import.meta.url)('@opentelemetry/api') as Partial<OtelApi>;
      loaded = isOtelApi(api) ? (api as OtelApi) : null;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

function isOtelApi(api: Partial<OtelApi>): boolean {
  return (
    typeof api.trace?.getTracerProvider === 'function' &&
    typeof api.trace.setSpan === 'function' &&
    typeof api.context?.active === 'function' &&
    typeof api.ProxyTracerProvider === 'function'
  );
}

/** @internal Tests: pretend the package is (`api`) or is not (`null`) installed; `undefined` loads it again. */
export function setOtelApiForTests(api: OtelApi | null | undefined): void {
  loaded = api;
}
