#!/usr/bin/env node
import { packageVersion } from './package-version.js';

// The `switchboard` bin (dist/cli/main.js). `switchboard --version` answers before anything else loads
// (start-up cost: no commander, no library); everything else is cli-process.ts.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  await import('./cli-process.js');
}
