import type { Middleware, Next } from '../spec/index.js';

/**
 * Chains middlewares, outermost first, around `terminal`. The chain is built once and holds no per-call
 * state, so each layer's `next` may be called any number of times (retries), each call running the
 * downstream layers afresh. A middleware that throws synchronously yields a rejected promise.
 */
export function compose(middlewares: readonly Middleware[], terminal: Next): Next {
  let next: Next = terminal;
  for (let index = middlewares.length - 1; index >= 0; index--) {
    const middleware = middlewares[index]!;
    const downstream = next;
    next = (request) => {
      try {
        return middleware(request, downstream);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return next;
}
