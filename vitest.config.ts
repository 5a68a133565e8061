import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn the CLI and local servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    setupFiles: ['./test/support/harness/leakScanSetup.ts'],
    reporters: ['default', './test/reporters/summaryLine.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
