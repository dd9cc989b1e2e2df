import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import type { ResolvedRoute } from '../config/resolved-config.js';
import type { RouteStrategy } from '../spec/index.js';
import {
  createRouteState,
  LATENCY_CEILING_MS,
  latencyOrder,
  orderTargets,
  recordLatency,
  weightedOrder,
} from './route-strategies.js';

/** mulberry32: exact, repeatable randomness. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function routeOf(strategy: RouteStrategy, weights: number[] = [1, 1, 1]): ResolvedRoute {
  const names = ['a', 'b', 'c', 'd'].slice(0, weights.length);
  const config = resolveConfig({
    providers: [{ name: 'P', apiType: 'openai', apiKeys: ['test-key-1'], models: names }],
    routes: [
      { name: 'r', strategy, targets: names.map((name, i) => ({ model: `P/${name}`, weight: weights[i] })) },
    ],
  });
  return config.routes[0] as ResolvedRoute;
}

const never = () => {
  throw new Error('random() must not be called');
};

describe('orderTargets', () => {
  it('fallback keeps the configured order and draws no randomness', () => {
    const route = routeOf('fallback');
    expect(orderTargets(route, createRouteState(3), never)).toEqual([0, 1, 2]);
    expect(orderTargets(route, undefined, never)).toEqual([0, 1, 2]);
  });

  it('round_robin starts one further each call', () => {
    const route = routeOf('round_robin');
    const state = createRouteState(3);
    const firsts = Array.from({ length: 6 }, () => orderTargets(route, state, never));
    expect(firsts).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
    ]);
  });

  it('weighted: first picks follow the weights (100,000 draws within ±1 %), the rest are drawn among those left', () => {
    const route = routeOf('weighted', [1, 2, 7]);
    const random = seeded(1);
    const firsts = [0, 0, 0];
    const seconds = [0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const order = orderTargets(route, createRouteState(3), random);
      expect([...order].sort()).toEqual([0, 1, 2]);
      firsts[order[0] as number] = (firsts[order[0] as number] ?? 0) + 1;
      seconds[order[1] as number] = (seconds[order[1] as number] ?? 0) + 1;
    }
    const shares = firsts.map((count) => count / n);
    console.log(
      `weighted 1:2:7 over ${n} orderings: first picks ${shares.map((s) => (s * 100).toFixed(2)).join(' / ')} %`,
    );
    expect(Math.abs((shares[0] as number) - 0.1)).toBeLessThan(0.01);
    expect(Math.abs((shares[1] as number) - 0.2)).toBeLessThan(0.01);
    expect(Math.abs((shares[2] as number) - 0.7)).toBeLessThan(0.01);
    // Second place without replacement: P(c second) = P(a first)·7/9 + P(b first)·7/8 = 0.253
    expect(Math.abs((seconds[2] as number) / n - 0.2528)).toBeLessThan(0.01);
  });

  it('weightedOrder maps random() onto the cumulative weights', () => {
    expect(weightedOrder([3, 1], () => 0)).toEqual([0, 1]);
    expect(weightedOrder([3, 1], () => 0.74)).toEqual([0, 1]);
    expect(weightedOrder([3, 1], () => 0.76)).toEqual([1, 0]);
    expect(weightedOrder([3, 1], () => 0.999_999)).toEqual([1, 0]);
  });

  it('least_busy: fewest calls in flight first; ties go to the target put first longest ago', () => {
    const route = routeOf('least_busy');
    const state = createRouteState(3);
    expect(orderTargets(route, state, never)[0]).toBe(0);
    state.inFlight[0] = 1;
    const firsts = Array.from({ length: 4 }, () => orderTargets(route, state, never)[0]);
    expect(firsts).toEqual([1, 2, 1, 2]);
    state.inFlight = [0, 2, 1];
    expect(orderTargets(route, state, never)).toEqual([0, 2, 1]);
  });

  it('latency: unmeasured targets first (no exploration yet), then the fastest; a small share explores', () => {
    const route = routeOf('latency');
    const state = createRouteState(3);
    expect(orderTargets(route, state, never)).toEqual([0, 1, 2]);
    state.latencyMs = [300, undefined, 100];
    expect(orderTargets(route, state, never)).toEqual([1, 2, 0]);
    state.latencyMs = [300, 200, 100];
    expect(orderTargets(route, state, () => 0.5)).toEqual([2, 1, 0]);
    // random() < 0.05 explores: the second draw picks which other target goes first.
    const draws = [0.01, 0.99];
    expect(latencyOrder(state.latencyMs, () => draws.shift() ?? 0)).toEqual([0, 2, 1]);
    const low = [0.01, 0];
    expect(latencyOrder(state.latencyMs, () => low.shift() ?? 0)).toEqual([1, 2, 0]);
  });

  it('recordLatency: a moving average; a failure counts at least twice the average; capped', () => {
    const state = createRouteState(1);
    recordLatency(state, 0, 100, true);
    expect(state.latencyMs[0]).toBe(100);
    recordLatency(state, 0, 200, true);
    expect(state.latencyMs[0]).toBeCloseTo(130);
    recordLatency(state, 0, 5, false);
    expect(state.latencyMs[0]).toBeCloseTo(130 + 0.3 * (260 - 130));
    for (let i = 0; i < 200; i++) recordLatency(state, 0, 1, false);
    expect(state.latencyMs[0]).toBe(LATENCY_CEILING_MS);
  });
});
