export { createDb, type Database, type Db } from "./client.ts";
export { ConflictError, isPermanentDbError, withConflicts } from "./errors.ts";
export { MIGRATIONS_DIR, runMigrations } from "./migrate.ts";
export * from "./schema/index.ts";
