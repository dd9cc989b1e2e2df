/**
 * Times (ascending) with a value each, and the sum of the values: the sliding window of one limit. Old
 * entries leave from the head in O(1); the array is compacted now and then.
 */
export class TimeQueue {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;
  /** Sum of the values of the entries still in the queue. */
  sum = 0;

  get length(): number {
    return this.times.length - this.head;
  }

  push(time: number, value = 1): void {
    this.times.push(time);
    this.values.push(value);
    this.sum += value;
  }

  /** Drops the entries at or before `time`. */
  dropUntil(time: number): void {
    const times = this.times;
    let head = this.head;
    while (head < times.length && (times[head] as number) <= time) {
      this.sum -= this.values[head] as number;
      head++;
    }
    this.head = head;
    if (head > 1024 && head * 2 > times.length) {
      this.times = times.slice(head);
      this.values = this.values.slice(head);
      this.head = 0;
    }
  }

  /** The time of the `index`-th entry (0 = oldest). */
  timeAt(index: number): number {
    return this.times[this.head + index] as number;
  }

  /** The time of the oldest entry whose leaving brings the sum under `limit` (`undefined` when it already is). */
  timeBelow(limit: number): number | undefined {
    let sum = this.sum;
    for (let i = this.head; i < this.times.length; i++) {
      sum -= this.values[i] as number;
      if (sum < limit) return this.times[i];
    }
    return undefined;
  }

  /** The entries as `[time, value]` pairs, oldest first (for saving). */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = this.head; i < this.times.length; i++)
      out.push([this.times[i] as number, this.values[i] as number]);
    return out;
  }
}
