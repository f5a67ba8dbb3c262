export { type SeedOptions, type SeedResult, type SeededBuyer, SEEDED_PASSWORD_HASH, assertSeedable, seedBuyers, seededEmail } from "./seed.ts";
