import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (pure code, fake clocks, in-memory transports) and integration
// tests against real peers on 127.0.0.1 (SIPp, Kamailio, baresip, tshark, our own CLI).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real peers bind real ports; run files one at a time to keep port use predictable.
          fileParallelism: false,
        },
      },
    ],
  },
});
