import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'integrations/koishi/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Tests must never reach the internet: every provider is the loopback fake (see src/testing).
    env: { SWITCHBOARD_OFFLINE: '1' },
  },
});
