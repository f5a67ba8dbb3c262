import { defineConfig } from "vitest/config";
import LongWaitsFirst, { LONG_WAITS } from "./packages/testkit/src/sequencer.ts";

// Three tiers side by side (STYLE.md): pure logic, real servers, several services together.
const ignore = ["**/node_modules/**", "**/.data/**", "**/dist/**"];

// One worker per tier, tiers one after another (the machine has 2 cores and the servers each
// file starts want the other), except that the files in LONG_WAITS, which mostly wait, run on a
// second worker beside the integration tier: a three-minute outage costs no wall time of its own.
export default defineConfig({
  test: {
    sequence: { sequencer: LongWaitsFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{packages,services,loadtest}/**/*.test.ts"],
          exclude: [...ignore, "**/*.int.test.ts", "**/*.e2e.test.ts", "**/*.cluster.test.ts"],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
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
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          // End-to-end files that mostly wait: beside the integration tier (same group, 2 workers).
          name: "e2e-waits",
          include: LONG_WAITS,
          exclude: ignore,
          globalSetup: ["packages/testkit/src/global-setup.ts"],
          testTimeout: 420_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          // scripts/: the short chaos run (`pnpm chaos`'s own modules against spawned services).
          include: ["{packages,services,loadtest,scripts}/**/*.e2e.test.ts"],
          exclude: [...ignore, ...LONG_WAITS],
          globalSetup: ["packages/testkit/src/global-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Browser and multi-service runs are heavy on a 2-core machine.
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
      // Node kills on a 3-node NATS cluster and a Redis Cluster: `pnpm test:cluster` only (about
      // two minutes of 9 servers and workers on 2 cores); the default suite runs the cheaper
      // cluster test (every script and the R3 topology, services/ticket/src/cluster-scripts.int.test.ts).
      ...(process.env.RUSH_CLUSTER_TESTS === "1"
        ? [
            {
              extends: true as const,
              test: {
                name: "cluster",
                include: ["{packages,services,loadtest}/**/*.cluster.test.ts"],
                exclude: ignore,
                // The node-kill test's orders and payments live in the test PostgreSQL.
                globalSetup: ["packages/testkit/src/global-setup.ts"],
                testTimeout: 300_000,
                hookTimeout: 300_000,
                maxWorkers: 1,
                sequence: { groupOrder: 4 },
              },
            },
          ]
        : []),
    ],
  },
});
