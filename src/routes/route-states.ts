import type { ResolvedRoute } from '../config/resolved-config.js';
import { createRouteState, type RouteState } from './route-strategies.js';

/**
 * The state of one client's routes (turn counters, calls in flight, latency averages), made on first use.
 * `fallback` routes and ad-hoc `model: [...]` chains keep none: their order never changes.
 */
export class RouteStates {
  private readonly states = new Map<ResolvedRoute, RouteState>();

  of(route: ResolvedRoute): RouteState | undefined {
    if (route.adHoc || route.strategy === 'fallback') return undefined;
    let state = this.states.get(route);
    if (state === undefined) {
      state = createRouteState(route.targets.length);
      this.states.set(route, state);
    }
    return state;
  }
}
