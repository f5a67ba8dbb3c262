import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { loadCatalogConfig } from "../../catalog/src/config.ts";
import { loadGateConfig } from "../../gate/src/config.ts";
import { readConfig as mailConfig } from "../../mail/src/config.ts";
import { readConfig as notificationConfig } from "../../notification/src/config.ts";
import { readConfig as orderConfig } from "../../order/src/config.ts";
import { readConfig as paymentConfig } from "../../payment/src/config.ts";
import { readConfig as ticketConfig } from "./config.ts";

/**
 * The deployment files against the code: every Kubernetes workload of a service sets every key
 * its zod config needs in production (config parsed from the rendered env, NODE_ENV=production,
 * so a key left at a development default fails), its PORT is its container port, its probes use
 * ports and paths it serves; NATS and Redis are the same 3-node cluster (R3) and 3+3 Redis
 * Cluster in k8s and docker-compose as `infra.sh up --cluster` runs.
 */
const INFRA = fileURLToPath(new URL("../../../infra/", import.meta.url));
const NATS_DEPLOY = fileURLToPath(new URL("../../../nats/deploy/", import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML, checked field by field below
type Doc = any;
const manifests: Doc[] = readdirSync(join(INFRA, "k8s"))
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((f) => parseAllDocuments(readFileSync(join(INFRA, "k8s", f), "utf8")).map((d) => d.toJS()))
  .filter(Boolean);
const secretTemplate: Doc = parse(readFileSync(join(INFRA, "k8s/templates/secret.yaml"), "utf8"));
const configMap: Record<string, string> = manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name === "rush-config").data;
const compose: Doc = parse(readFileSync(join(INFRA, "docker-compose.yml"), "utf8"), { merge: true });

const pw = "p4ssw0rd-long-enough-for-any-check-0123456789";
const natsUrl = (user: string) => [0, 1, 2].map((i) => `nats://${user}:${pw}@nats-${i}.nats:4222`).join(",");
/** What an operator fills the template with: realistic shapes, so each service's checks run. */
const FILLED: Record<string, string> = {
  JWT_SECRET: pw,
  ADMISSION_SECRET: `${pw}-admission`,
  TWO_FACTOR_KEY: `${pw}-two-factor`,
  TICKET_SIGNING_KEY: Buffer.alloc(32, 7).toString("base64"),
  ADMIN_EMAIL: "ops@example.com",
  ADMIN_PASSWORD: pw,
  DATABASE_URL: `postgres://rush:${pw}@db.example.com:5432/rush`,
  REDIS_URL: [0, 1, 2, 3, 4, 5].map((i) => `redis://rush:${pw}@redis-${i}.redis:6379`).join(","),
  REDIS_PASSWORD: pw,
  REDIS_OPS_PASSWORD: pw,
  SMTP_URL: `smtps://rush:${pw}@smtp.example.com:465`,
  ...Object.fromEntries(["TICKET", "GATE", "CATALOG", "PAYMENT", "ORDER", "NOTIFICATION", "MAIL"].flatMap((s) => [
    [`NATS_URL_${s}`, natsUrl(s.toLowerCase())],
    [`NATS_${s}_PASSWORD`, pw],
  ])),
};
const LOADERS: Record<string, (env: NodeJS.ProcessEnv) => { PORT: number; NATS_URL: string; REDIS_URL: string; NATS_REPLICAS: number }> = {
  catalog: loadCatalogConfig,
  gate: loadGateConfig,
  mail: mailConfig,
  notification: notificationConfig,
  order: orderConfig,
  payment: paymentConfig,
  ticket: ticketConfig,
};

const workloads = manifests.filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet");
const serviceOf = (w: Doc): string | undefined => w.spec.template.spec.containers[0].env?.find((e: Doc) => e.name === "SERVICE")?.value;

function renderEnv(w: Doc): Record<string, string> {
  const container = w.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef?.name === "rush-config") Object.assign(env, configMap);
    if (from.secretRef?.name === "rush-secrets") for (const key of Object.keys(secretTemplate.stringData)) env[key] = FILLED[key]!;
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) {
      expect(Object.keys(secretTemplate.stringData), `${w.metadata.name}: ${e.name}`).toContain(e.valueFrom.secretKeyRef.key);
      env[e.name] = FILLED[e.valueFrom.secretKeyRef.key]!;
    } else if (e.valueFrom?.fieldRef) env[e.name] = `${w.metadata.name}-0`;
  }
  return env;
}

describe("deploy: Kubernetes manifests and docker-compose match the code", () => {
  it("deploy: the operator's secret template lists only keys this test knows how to fill", () => {
    for (const key of Object.keys(secretTemplate.stringData)) expect(FILLED, key).toHaveProperty(key);
  });

  it("deploy: each service's workload sets every config key it needs in production, its port and its probes", () => {
    const seen = new Set<string>();
    for (const w of workloads) {
      const service = serviceOf(w);
      if (!service) continue;
      seen.add(service);
      const config = LOADERS[service]!({ ...renderEnv(w) }); // throws, naming every missing or dev-default key
      expect(config.NATS_REPLICAS, service).toBe(3);
      expect(config.NATS_URL.split(","), service).toHaveLength(3);
      expect(config.REDIS_URL.split(","), service).toHaveLength(6);
      const container = w.spec.template.spec.containers[0];
      const ports = new Map<string, number>(container.ports.map((p: Doc) => [p.name, p.containerPort]));
      expect(ports.get("http"), `${service} PORT`).toBe(config.PORT);
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const check = container[probe]?.httpGet;
        if (!check) continue;
        expect(ports.has(check.port), `${service} ${probe} port`).toBe(true);
        expect(["/health/live", "/health/ready"], `${service} ${probe} path`).toContain(check.path);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(LOADERS).sort());
  });

  it("deploy: k8s runs NATS as 3 routed nodes with JetStream and Redis as a 3+3 cluster", () => {
    const nats = workloads.find((w) => w.metadata.name === "nats");
    expect(nats.spec.replicas).toBe(3);
    expect(Number(configMap.NATS_REPLICAS)).toBe(nats.spec.replicas);
    const args: string[] = nats.spec.template.spec.containers[0].args;
    const routes = args[args.indexOf("--routes") + 1]!.split(",");
    expect(routes).toEqual([0, 1, 2].map((i) => `nats://nats-${i}.${nats.spec.serviceName}:6222`));
    const redis = workloads.find((w) => w.metadata.name === "redis");
    expect(redis.spec.replicas).toBe(6);
    expect(redis.spec.template.spec.containers[0].command.join(" ")).toContain("--cluster-enabled yes");
    // The AOF alone, rewritten rarely: no RDB snapshot forks in the middle of a sale (infra/lib/redis.sh).
    expect(redis.spec.template.spec.containers[0].command.join(" ")).toContain('--appendonly yes --appendfsync everysec --save "" --auto-aof-rewrite-min-size');
    const job = manifests.find((m) => m.kind === "Job" && m.metadata.name === "redis-cluster-create");
    const create: string = job.spec.template.spec.containers[0].command.join(" ");
    for (let i = 0; i < 6; i++) expect(create).toContain(`redis-${i}.redis:6379`);
    expect(create).toContain("--cluster-replicas 1");
  });

  it("deploy: docker-compose runs the same 3 NATS nodes, with every service's password, and 6 Redis nodes joined by one job", () => {
    const permissions = readFileSync(join(NATS_DEPLOY, "permissions.conf"), "utf8");
    const passwords = [...permissions.matchAll(/\$(NATS_[A-Z]+_PASSWORD)/g)].map((m) => m[1]!);
    const natsNodes = Object.keys(compose.services).filter((s) => s.startsWith("nats-"));
    expect(natsNodes).toEqual(["nats-1", "nats-2", "nats-3"]);
    for (const name of natsNodes) {
      const node = compose.services[name];
      const routes: string = node.command[node.command.indexOf("--routes") + 1];
      expect(routes.split(",")).toEqual(natsNodes.map((n) => `nats://${n}:6222`));
      for (const password of passwords) expect(node.environment, `${name} ${password}`).toHaveProperty(password);
      expect(node.environment.NATS_SERVER_NAME).toBe(name);
    }
    const redisNodes = Object.keys(compose.services).filter((s) => /^redis-\d$/.test(s));
    expect(redisNodes).toHaveLength(6);
    for (const name of redisNodes) expect(compose.services[name].command.join(" ")).toContain('--save "" --auto-aof-rewrite-min-size');
    const create = compose.services["redis-cluster-create"];
    expect(Object.keys(create.depends_on).sort()).toEqual(redisNodes.sort());
    for (const name of redisNodes) expect(create.command.join(" ")).toContain(`${name}:6379`);
  });
});
