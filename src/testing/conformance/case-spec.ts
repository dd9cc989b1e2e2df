import { missingChatBuilders, modelFor, type Run } from './conformance-run.js';
import type {
  ConformanceCapability,
  ConformanceModels,
  ConformanceTarget,
  WireKit,
} from './conformance-types.js';

/** What a case needs from the target; the first missing need is its skip reason. */
export type Need =
  | { model: keyof ConformanceModels }
  /** A wire-kit member by path: `reasoning`, `read.signatures`, `errors.location`. */
  | { kit: string }
  | { structuredStrategy: true }
  /** A chat model, else an image model with `WireKit.images` (see `primaryCall`). */
  | { primary: true };

/** A case before it is bound to a target. */
export interface CaseSpec {
  name: string;
  capability: ConformanceCapability;
  needs: readonly Need[];
  run<R>(run: Run<R>, target: ConformanceTarget<R>): Promise<void>;
}

function member(wire: WireKit<unknown>, path: string): unknown {
  let value: unknown = wire;
  for (const key of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** Why a case cannot run against the target, or `undefined` when it can. */
export function skipReason<R>(target: ConformanceTarget<R>, needs: readonly Need[]): string | undefined {
  const wire = target.wire as WireKit<unknown>;
  for (const need of needs) {
    if ('model' in need) {
      if (modelFor(target.models, need.model) == null) return `the target has no models.${need.model}`;
      const missing = need.model === 'embedding' || need.model === 'image' ? [] : missingChatBuilders(wire);
      if (missing.length > 0) return `the wire kit ${wire.name} has no chat builders (${missing.join(', ')})`;
    } else if ('kit' in need) {
      if (member(wire, need.kit) == null) {
        return wire.unsupported?.[need.kit] ?? `the wire kit ${wire.name} has no ${need.kit}`;
      }
    } else if ('primary' in need) {
      const chat = target.models.chat != null && missingChatBuilders(wire).length === 0;
      if (!chat && (target.models.image == null || wire.images == null)) {
        return 'the target has neither models.chat with chat builders nor models.image with images()';
      }
    } else if (target.structuredStrategy == null) {
      return 'the target declares no structuredStrategy';
    }
  }
  return undefined;
}
