import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setOtelApiForTests } from './load-otel-api.js';
import type { OtelApi } from './otel-types.js';
import { memoryTracing } from './test-support/otel-kit.js';
import { createTracerSource } from './tracer-source.js';

afterEach(() => {
  trace.disable();
  setOtelApiForTests(undefined);
});

describe('tracer source', () => {
  it('no provider registered: nothing is loaded and no tracer is made; a provider registered later counts', () => {
    const untouchable = new Proxy({} as OtelApi, {
      get() {
        throw new Error('the OpenTelemetry API was touched');
      },
    });
    setOtelApiForTests(untouchable);
    const source = createTracerSource({ enabled: true, recordContent: false });
    expect(source.tracer()).toBeUndefined();
    setOtelApiForTests(undefined);
    expect(source.api).toBeDefined();
    expect(source.tracer()).toBeUndefined();
    const first = memoryTracing();
    trace.setGlobalTracerProvider(first.provider);
    const tracer = source.tracer();
    expect(tracer).toBeDefined();
    expect(source.tracer()).toBe(tracer);
    trace.disable();
    expect(source.tracer()).toBeUndefined();
    const second = memoryTracing();
    trace.setGlobalTracerProvider(second.provider);
    source.tracer()?.startSpan('x').end();
    expect(second.spans().map((span) => span.name)).toEqual(['x']);
  });

  it('a configured tracer is used whatever is registered', () => {
    const otel = memoryTracing();
    expect(createTracerSource({ enabled: true, recordContent: false, tracer: otel.tracer }).tracer()).toBe(
      otel.tracer,
    );
  });

  it('telemetry: false never loads the API; without the package nothing traces', () => {
    const untouchable = new Proxy({} as OtelApi, {
      get() {
        throw new Error('the OpenTelemetry API was touched');
      },
    });
    setOtelApiForTests(untouchable);
    const off = createTracerSource({ enabled: false, recordContent: false });
    expect(off.api).toBeUndefined();
    expect(off.tracer()).toBeUndefined();
    setOtelApiForTests(null);
    const absent = createTracerSource({
      enabled: true,
      recordContent: false,
      tracer: memoryTracing().tracer,
    });
    expect(absent.tracer()).toBeUndefined();
  });
});
