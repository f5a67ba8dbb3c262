import type { TestProject } from "vitest/node";
import { infra, isRunning, testPgAdminUrl } from "./infra.ts";
import { sharedClusterMode, upSharedCluster } from "./shared-cluster.ts";

import type {} from "./provided.ts";

/**
 * Before the integration and e2e tiers: make sure nats-server, redis-server and PostgreSQL are
 * installed (the project's own script installs them if missing), and that the shared test
 * PostgreSQL runs. NATS and Redis are started privately per test file (see `startNats`), except
 * with TEST_CLUSTER=shared: one NATS cluster and Redis Cluster for the run (`shared-cluster.ts`).
 * A server this run started is stopped after it; one that was already running is reused and left.
 */
export default async function setup(project: TestProject) {
  await infra(["install"]);
  const wasRunning = await isRunning("postgres");
  if (!wasRunning) await infra(["up", "postgres"]);
  project.provide("pgAdminUrl", testPgAdminUrl());
  const cluster = sharedClusterMode() ? await upSharedCluster(project.name) : undefined;
  return async () => {
    await cluster?.();
    if (!wasRunning) await infra(["down", "postgres"]);
  };
}
