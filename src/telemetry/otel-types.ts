// The small part of `@opentelemetry/api` telemetry uses, described structurally: the package is an optional
// peer dependency, so no type of it may reach this package's declarations.

/** An attribute value (OpenTelemetry `AttributeValue`). */
export type OtelAttributeValue = string | number | boolean | string[] | number[];
export type OtelAttributes = Record<string, OtelAttributeValue>;

/** An OpenTelemetry `Context` (opaque here). */
export type OtelContext = object;

/** `SpanOptions`: times are epoch milliseconds. */
export interface OtelSpanOptions {
  kind?: number;
  attributes?: OtelAttributes;
  startTime?: number;
}

export interface OtelSpan {
  setAttribute(key: string, value: OtelAttributeValue): unknown;
  setAttributes(attributes: OtelAttributes): unknown;
  addEvent(name: string, attributes?: OtelAttributes, time?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: number): void;
}

export interface OtelTracer {
  startSpan(name: string, options?: OtelSpanOptions, context?: OtelContext): OtelSpan;
}

export interface OtelTracerProvider {
  getTracer(name: string, version?: string): OtelTracer;
}

/** The module `@opentelemetry/api`, as far as it is used. */
export interface OtelApi {
  trace: {
    getTracerProvider(): OtelTracerProvider & { getDelegate?(): OtelTracerProvider };
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
  };
  context: { active(): OtelContext };
  ProxyTracerProvider: new () => { getDelegate(): OtelTracerProvider };
}

/** `SpanKind` values. */
export const SPAN_KIND = { INTERNAL: 0, CLIENT: 2 } as const;
/** `SpanStatusCode.ERROR`. */
export const STATUS_ERROR = 2;
