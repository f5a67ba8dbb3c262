import { defineConfig } from "vitest/config";

// Three tiers side by side (STYLE.md): pure logic, real servers, several services together.
const ignore = ["**/node_modules/**", "**/.data/**", "**/dist/**"];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{packages,services,loadtest}/**/*.test.ts"],
          exclude: [...ignore, "**/*.int.test.ts", "**/*.e2e.test.ts"],
          // Generous: the machine is shared and noisy, and a timeout is not a speed test.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{packages,services,loadtest}/**/*.int.test.ts"],
          exclude: ignore,
          globalSetup: ["packages/testkit/src/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          // scripts/: the short chaos run (`pnpm chaos`'s own modules against spawned services).
          include: ["{packages,services,loadtest,scripts}/**/*.e2e.test.ts"],
          exclude: ignore,
          globalSetup: ["packages/testkit/src/global-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Browser and multi-service runs are heavy on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
