import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** the tsconfig "paths" aliases, for every project (inline projects do not inherit the root's resolve) */
const alias = {
  '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)),
  '@renderer': fileURLToPath(new URL('./src/renderer/src', import.meta.url)),
  '@engine': fileURLToPath(new URL('./src/main/engine', import.meta.url)),
};

// Four projects: unit (pure, fast), integration (real loopback sockets, tcpdump,
// tshark, nginx), e2e (Chromium through the web mode), desktop (the built Electron
// main bundle under Node with a recorded stand-in for `electron`, its real preload
// and renderer in Chromium). `npm test` runs all four.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // real sockets and child processes: keep files apart
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'desktop',
          include: ['test/desktop/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
