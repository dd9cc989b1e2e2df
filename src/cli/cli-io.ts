import type { Readable, Writable } from 'node:stream';

/** A writable terminal stream (stdout, stderr). */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

/** Everything the CLI touches of its process; `main.ts` passes the real ones. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Lazy: touching process.stdin opens it, which commands that never read it must not do.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
