import type { ResolvedRoute } from '../config/resolved-config.js';
import type { Random } from '../util/clock.js';

/**
 * `latency`: the share of calls that try a target other than the fastest first, so a target that got faster
 * (or recovered) is noticed. With two targets the slower one gets about this share of first tries.
 */
export const LATENCY_EXPLORATION = 0.05;
/** `latency`: weight of a new sample in a target's moving average (about the last 5 samples count). */
export const LATENCY_EWMA_ALPHA = 0.3;
/** `latency`: a failed target's sample is at least twice its current average, so a failing target sinks. */
export const LATENCY_FAILURE_FACTOR = 2;
/** `latency`: no average grows past this (ms), so a long-failing target still comes back when it recovers. */
export const LATENCY_CEILING_MS = 600_000;

/**
 * What a route remembers between calls, per client: the turn counter of `round_robin` and `least_busy`,
 * when each target was last put first (`least_busy` ties go to the one that waited longest), the calls in
 * flight per target, and the latency average per target (`undefined`: not yet measured). Indexed like
 * `route.targets`.
 */
export interface RouteState {
  turn: number;
  lastFirst: number[];
  inFlight: number[];
  latencyMs: (number | undefined)[];
}

export function createRouteState(size: number): RouteState {
  return {
    turn: 0,
    lastFirst: new Array(size).fill(0),
    inFlight: new Array(size).fill(0),
    latencyMs: new Array(size).fill(undefined),
  };
}

const identities: number[][] = [];

/** `[0, 1, …, size - 1]`, shared (never mutate the result). */
function identity(size: number): readonly number[] {
  let order = identities[size];
  if (order === undefined) {
    order = Array.from({ length: size }, (_, index) => index);
    if (size < 64) identities[size] = order;
  }
  return order;
}

/**
 * The order in which one call tries the targets of `route` (indexes into `route.targets`): the first is the
 * strategy's pick, the rest the call's fallback chain. Pure but for the state's turn counter; `random` is
 * injected so tests are exact. `fallback` (and any route without state) keeps the configured order.
 */
export function orderTargets(
  route: ResolvedRoute,
  state: RouteState | undefined,
  random: Random,
): readonly number[] {
  const size = route.targets.length;
  if (size <= 1 || state === undefined) return identity(size);
  switch (route.strategy) {
    case 'fallback':
      return identity(size);
    case 'round_robin':
      return rotated(size, state.turn++ % size);
    case 'weighted':
      return weightedOrder(
        route.targets.map((target) => target.weight),
        random,
      );
    case 'least_busy':
      return leastBusyOrder(state);
    case 'latency':
      return latencyOrder(state.latencyMs, random);
    default: {
      const unreachable: never = route.strategy;
      return unreachable;
    }
  }
}

function rotated(size: number, start: number): number[] {
  const order = new Array<number>(size);
  for (let i = 0; i < size; i++) order[i] = (start + i) % size;
  return order;
}

/** Fewest calls in flight first; ties go to the target put first longest ago (so idle targets take turns). */
function leastBusyOrder(state: RouteState): number[] {
  const { inFlight, lastFirst } = state;
  const order = inFlight.map((_, index) => index);
  order.sort((a, b) => (inFlight[a] ?? 0) - (inFlight[b] ?? 0) || (lastFirst[a] ?? 0) - (lastFirst[b] ?? 0));
  lastFirst[order[0] as number] = ++state.turn;
  return order;
}

/** Weighted draws without replacement: the first by weight among all, the next among those left, … */
export function weightedOrder(weights: readonly number[], random: Random): number[] {
  const left = weights.map((_, index) => index);
  const order: number[] = [];
  let total = weights.reduce((sum, weight) => sum + weight, 0);
  while (left.length > 1) {
    let point = random() * total;
    let pick = left.length - 1;
    for (let i = 0; i < left.length; i++) {
      point -= weights[left[i] as number] ?? 0;
      if (point < 0) {
        pick = i;
        break;
      }
    }
    const [chosen] = left.splice(pick, 1) as [number];
    order.push(chosen);
    total -= weights[chosen] ?? 0;
  }
  order.push(left[0] as number);
  return order;
}

/**
 * Fastest average first; targets not yet measured go before all others (in configured order), so each is
 * measured once. Once all are measured, with probability `LATENCY_EXPLORATION` a random other target is moved
 * to the front.
 */
export function latencyOrder(latencyMs: readonly (number | undefined)[], random: Random): number[] {
  const order = latencyMs.map((_, index) => index);
  const key = (index: number) => latencyMs[index] ?? -1;
  order.sort((a, b) => key(a) - key(b));
  if (latencyMs[order[0] as number] !== undefined && random() < LATENCY_EXPLORATION) {
    const pick = 1 + Math.min(order.length - 2, Math.floor(random() * (order.length - 1)));
    const [explored] = order.splice(pick, 1) as [number];
    order.unshift(explored);
  }
  return order;
}

/** Adds a latency sample of target `index` (a failure counts as slow: see `LATENCY_FAILURE_FACTOR`). */
export function recordLatency(state: RouteState, index: number, ms: number, ok: boolean): void {
  const current = state.latencyMs[index];
  const sample = ok ? ms : Math.max(ms, LATENCY_FAILURE_FACTOR * (current ?? ms), 1);
  const next = current === undefined ? sample : current + LATENCY_EWMA_ALPHA * (sample - current);
  state.latencyMs[index] = Math.min(next, LATENCY_CEILING_MS);
}
