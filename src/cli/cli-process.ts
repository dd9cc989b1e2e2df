import { redactSecrets } from '../logging/secrets.js';
import { processIo } from './cli-io.js';
import { formatError } from './format-error.js';
import { runCli } from './run-cli.js';

// The process wiring of the `switchboard` bin (main.ts imports it): error and Ctrl-C handling, the exit code;
// the CLI itself is run-cli.ts and commands/.

const debug = process.argv.includes('--debug');
const fail = (error: unknown) => {
  process.stderr.write(redactSecrets(formatError(error, { debug })));
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

// First Ctrl-C aborts the running calls (exit 130); a second one exits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

const code = await runCli(process.argv.slice(2), processIo(), interrupt.signal);
process.exitCode = code;
// Exit even if a stray handle (a socket, a timer) would keep the process alive; unref'd, so never earlier.
setTimeout(() => process.exit(code), 2000).unref();
