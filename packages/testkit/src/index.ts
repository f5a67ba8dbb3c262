export { REPO_ROOT, TEST_STACK_ENV, infra, isRunning, testPgAdminUrl } from "./infra.ts";
export { type ManagedServer, startManaged } from "./managed-server.ts";
export { type NatsServer, startNats } from "./nats-server.ts";
export { freePort } from "./ports.ts";
export { type TestDatabase, freshDatabase } from "./postgres.ts";
export { type PrivatePostgres, startPrivatePostgres } from "./private-postgres.ts";
export { type Spawned, spawnUntil, stopProcess } from "./process.ts";
export { type RedisServer, startRedis } from "./redis-server.ts";
export { type ServiceProcess, spawnService } from "./service-process.ts";
