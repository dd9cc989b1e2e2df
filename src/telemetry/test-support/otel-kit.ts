import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A tracer provider whose finished spans stay in memory. */
export function memoryTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return {
    provider,
    exporter,
    tracer: provider.getTracer('test'),
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
  };
}

/** A finished span as a tree node: name, attributes, status, events and children (by start time). */
export interface SpanNode {
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: string[];
  children: SpanNode[];
}

const toMs = (time: [number, number]) => time[0] * 1000 + time[1] / 1e6;

/** The finished spans as trees (roots: spans whose parent is not among them). */
export function spanTrees(spans: readonly ReadableSpan[]): SpanNode[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const ordered = [...spans].sort((a, b) => toMs(a.startTime) - toMs(b.startTime));
  const node = (span: ReadableSpan): SpanNode => ({
    name: span.name,
    kind: span.kind,
    attributes: { ...span.attributes },
    status: { ...span.status },
    events: span.events.map((event) => event.name),
    children: ordered
      .filter((child) => child.parentSpanContext?.spanId === span.spanContext().spanId)
      .map(node),
  });
  return ordered
    .filter((span) => span.parentSpanContext == null || !ids.has(span.parentSpanContext.spanId))
    .map(node);
}

/** Every attribute value of every span, as text (for "never contains" checks). */
export function allAttributeText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => [span.name, span.attributes, span.status, span.events.map((e) => e.attributes)]),
  );
}
