export * from "./catalog.ts";
export * from "./orders.ts";
export * from "./payments.ts";
export * from "./tickets.ts";
export * from "./users.ts";
export * from "./mail.ts";
export * from "./resale.ts";
