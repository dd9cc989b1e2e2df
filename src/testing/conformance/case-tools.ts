// The function tools of the tool cases, built on first use (zod and the tool layer load with the client, not
// with the test kit).

/** Opens once `count` tools are running at the same time; a tool left waiting fails after `limitMs`. */
export function concurrencyGate(count: number, limitMs = 10_000) {
  let running = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    async enter(): Promise<void> {
      running++;
      if (running >= count) open();
      let timer: NodeJS.Timeout | undefined;
      const alone = new Promise<never>((_resolve, reject) => {
        // A guard against a hang, not a speed bound: run one at a time, the round would never finish.
        timer = setTimeout(
          () => reject(new Error('the calls of one round did not run concurrently')),
          limitMs,
        );
      });
      try {
        await Promise.race([opened, alone]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type Gate = ReturnType<typeof concurrencyGate>;

export async function makeTools(ran: string[] = [], gate?: Gate) {
  const [{ z }, { functionTool }] = await Promise.all([
    import('zod'),
    import('../../tools/function-tool.js'),
  ]);
  const weather = functionTool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string().describe('City name') }),
    execute: async ({ city }) => {
      ran.push(`get_weather ${city}`);
      await gate?.enter();
      return { city, tempC: 21 };
    },
  });
  const time = functionTool({
    name: 'local_time',
    description: 'Local time in a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      ran.push(`local_time ${city}`);
      await gate?.enter();
      return { city, time: '09:30' };
    },
  });
  const explode = functionTool({
    name: 'explode',
    description: 'Always fails',
    parameters: z.object({}),
    execute: () => {
      throw new Error('disk on fire');
    },
  });
  // Never ends by itself: only its 50 ms timeout (through ctx.signal) ends it.
  const slow = functionTool({
    name: 'slow_lookup',
    description: 'Never answers in time',
    parameters: z.object({}),
    timeoutMs: 50,
    execute: (_args, ctx) =>
      new Promise<never>((_resolve, reject) => {
        ctx.signal?.addEventListener('abort', () => reject(ctx.signal?.reason), { once: true });
      }),
  });
  return { weather, time, explode, slow };
}
