import { describe, expect, it } from 'vitest';
import type { Middleware, PipelineResponse } from '../spec/index.js';
import { compose } from './compose.js';
import { testRequest } from './test-support/scripted-transport.js';

const ok = (data: unknown): PipelineResponse => ({
  status: 200,
  headers: {},
  data,
  attempts: [],
  durationMs: 0,
});

describe('compose', () => {
  it('runs middlewares outermost first and lets them change requests and responses', async () => {
    const order: string[] = [];
    const tag =
      (name: string): Middleware =>
      async (request, next) => {
        order.push(`>${name}`);
        const response = await next({ ...request, headers: { ...request.headers, [`x-${name}`]: '1' } });
        order.push(`<${name}`);
        return { ...response, data: { ...(response.data as object), [name]: true } };
      };
    const chain = compose([tag('a'), tag('b')], async (request) => {
      order.push('terminal');
      return ok({ headers: Object.keys(request.headers).filter((h) => h.startsWith('x-')) });
    });
    const response = await chain(testRequest());
    expect(order).toEqual(['>a', '>b', 'terminal', '<b', '<a']);
    expect(response.data).toEqual({ headers: ['x-a', 'x-b'], a: true, b: true });
  });

  it('next can be called again: each call runs the downstream chain afresh', async () => {
    let inner = 0;
    const twice: Middleware = async (request, next) => {
      const first = await next({ ...request, attempt: 1 });
      const second = await next({ ...request, attempt: 2 });
      return ok([first.data, second.data]);
    };
    const counting: Middleware = async (request, next) => {
      inner++;
      return next(request);
    };
    const chain = compose([twice, counting], async (request) => ok(request.attempt));
    expect((await chain(testRequest())).data).toEqual([1, 2]);
    expect(inner).toBe(2);
  });

  it('a middleware that throws synchronously rejects', async () => {
    const chain = compose(
      [
        (() => {
          throw new Error('sync');
        }) as unknown as Middleware,
      ],
      async () => ok(null),
    );
    await expect(chain(testRequest())).rejects.toThrow('sync');
  });
});
