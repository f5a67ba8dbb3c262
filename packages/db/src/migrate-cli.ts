import { runMigrations } from "./migrate.ts";

// `pnpm db:migrate`: DATABASE_URL from the environment (the README shows `infra.sh env`).
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (try: eval \"$(bash infra/infra.sh env)\")");
  process.exit(2);
}
await runMigrations(url);
console.log("migrations applied");
