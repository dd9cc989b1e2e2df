/** Runs tasks with at most `max` at a time, in submission order. */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((start) => waiting.push(start));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
