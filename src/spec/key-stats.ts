/** Health of one API key, as `llm.keys.stats(provider)` reports it. */
export type KeyStatus = 'unused' | 'healthy' | 'warning' | 'cooldown' | 'error' | 'disabled';

export interface KeyStats {
  /** `sk-a…wxyz` (first 4, last 4) for keys of 16+ characters, else `key#` + 6 hex digits of its SHA-256. */
  keyId: string;
  /**
   * `disabled` (invalid key, until reset) › `cooldown` (for any model) › `unused` (no calls) ›
   * `error` (success below 70 %) › `warning` (≥ 5 calls averaging over 15 s) › `healthy`.
   */
  status: KeyStatus;
  /** Longest cooldown left over all models, in seconds (0 when none). */
  cooldownSecondsLeft: number;
  totalCalls: number;
  successCount: number;
  failureCount: number;
  /** 0–100; 100 when unused. */
  successRate: number;
  /** Average latency of successful calls. */
  avgLatencyMs: number;
  /** Code and short message of the last failure (never contains a key). */
  lastError?: string;
  /** What an operator should do: `replace key`, `check network / reset`, `wait / reset`, `observe`, `-`. */
  suggestedAction: string;
}
