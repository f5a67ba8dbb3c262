import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clusterEnvOn, freeBlock } from "./cluster.ts";
import { infra } from "./infra.ts";

const REDIS_NODES = 6;

/** A Redis Cluster's ports and data folder on a free block, as `infra.sh --cluster` reads them. */
async function clusterEnv() {
  return { ...(await clusterEnvOn(await freeBlock(), "rush-infra-")), CLUSTER: "1", REDIS_NODE_START_S: "3", READY_TIMEOUT: "30" };
}

const nodePid = async (dataDir: string, i: number) => Number((await readFile(join(dataDir, "redis", `n${i + 1}`, "redis.pid"), "utf8").catch(() => "")).trim()) || null;

/** Running: a zombie (a daemon exits with pid 1 as its parent, which here may never reap it) is gone. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

describe("infra.sh --cluster: every Redis node it started goes with `down` (real redis-server)", () => {
  let env: Awaited<ReturnType<typeof clusterEnv>> | undefined;

  afterEach(async () => {
    if (env) {
      await infra(["down", "redis"], env).catch(() => {});
      await rm(env.DATA_DIR, { recursive: true, force: true });
      env = undefined;
    }
  });

  it("a node that cannot start fails `up` in its own words, at once; `down` stops the nodes that did start", async () => {
    env = await clusterEnv();
    // Node 5 finds a cluster config it cannot read: its process exits before writing a pid file.
    await mkdir(join(env.DATA_DIR, "redis", "n5"), { recursive: true });
    await writeFile(join(env.DATA_DIR, "redis", "n5", "nodes.conf"), "not a cluster config\n");

    // Its own log's words (a taken port reads "Address already in use", which sends `startCluster`
    // to another block of ports), not the whole cluster's readiness timeout.
    const failed = await infra(["up", "redis"], env).then(
      () => "",
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/node 5 did not start/);
    expect(failed).toMatch(/corrupted cluster config/i);
    const started = (await Promise.all(Array.from({ length: 4 }, (_, i) => nodePid(env!.DATA_DIR, i)))).filter((pid) => pid !== null);
    expect(started).toHaveLength(4);
    expect(started.every(alive)).toBe(true);

    await infra(["down", "redis"], env);
    expect(started.filter(alive)).toEqual([]);
  });

  it("a node that refuses SHUTDOWN (its save fails) is stopped anyway: no node outlives `down`", async () => {
    env = await clusterEnv();
    await infra(["up", "redis"], env);
    const pids = await Promise.all(Array.from({ length: REDIS_NODES }, (_, i) => nodePid(env!.DATA_DIR, i)));
    expect(pids.every((pid) => pid !== null && alive(pid))).toBe(true);

    // Node 3 saves on SHUTDOWN where a folder stands in for its dump file: the save fails, and Redis refuses to stop.
    await mkdir(join(env.DATA_DIR, "redis", "n3", "dump.rdb", "in-the-way"), { recursive: true });
    const port = Number(env.REDIS_PORT) + 2;
    const cli = (...args: string[]) =>
      new Promise<string>((resolve, reject) => execFile("redis-cli", ["-p", String(port), ...args], (error, stdout) => (error ? reject(error) : resolve(stdout))));
    expect(await cli("config", "set", "save", "1 1")).toContain("OK");
    expect(await cli("shutdown")).toContain("Errors trying to SHUTDOWN");
    expect(alive(pids[2]!)).toBe(true);

    await infra(["down", "redis"], env);
    expect(pids.filter((pid) => alive(pid!))).toEqual([]);
  });
});
