import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/cli/**/*.test.ts', 'test/robustness/**/*.test.ts', 'test/docs/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // Real processes (etcd, kube-apiserver, cert-manager, Pebble, BIND) on 2 cores: keep files serial.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 180_000,
          hookTimeout: 240_000,
          globalSetup: ['test/harness/global-setup.ts'],
          // Stops every harness process a file started, and keeps logs of failed runs.
          setupFiles: ['test/harness/vitest-setup.ts'],
        },
      },
    ],
  },
});
