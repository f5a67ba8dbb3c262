import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` diffs the schema against the committed migrations; no database needed.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/*.ts",
  out: "./drizzle",
  casing: "snake_case",
});
