import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Every e-mail the mail worker took on, keyed by the event it answers: a redelivered or
 * replayed event finds its row and is not mailed again (at most once per event). `sending`
 * is a claim taken before the SMTP conversation; a failed send gives it back for the retry.
 */
export const mailDeliveries = pgTable("mail_deliveries", {
  /** `<template>:<event id>`, e.g. `order-confirmation:<orderId>`. */
  key: text().primaryKey(),
  template: text().notNull(),
  recipient: text().notNull(),
  status: text({ enum: ["sending", "sent"] }).notNull(),
  /** The transport's message id (SMTP) or outbox file name. */
  messageId: text(),
  claimedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp({ withTimezone: true }),
});
