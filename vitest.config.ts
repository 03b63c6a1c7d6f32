import { defineConfig } from 'vitest/config';

// biome-ignore lint/style/noDefaultExport: Vitest reads the default export.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    // Starts the local PostgreSQL for the test/db suites when it is down.
    globalSetup: ['test/db/global-setup.ts', 'test/e2e/global-setup.ts'],
  },
});
