import { resolve } from "node:path";
import { BaseConfig, DEV_TICKET_SEED, DEV_URLS, devDefaultsAllowed, loadConfig, refuseDevDefaults } from "@rush/service";
import { z } from "zod";

/** Where development keeps every message instead of sending it (the repository's `.data/outbox`). */
const DEV_OUTBOX_DIR = resolve(new URL("../../..", import.meta.url).pathname, ".data/outbox");
/** The local gate: where the links in development e-mails lead. */
const DEV_APP_URL = "http://127.0.0.1:8080";

export const MailConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8106),
  /** `smtp://user:pass@host:587` or `smtps://…:465`: set, every message goes out through it (nodemailer). */
  SMTP_URL: z.string().optional(),
  /** Without SMTP_URL (development and test only): one `.eml` + `.json` per message in this folder, listed at `/dev/outbox`. */
  OUTBOX_DIR: z.string().default(DEV_OUTBOX_DIR),
  MAIL_FROM: z.string().default("Rush <tickets@rush.localhost>"),
  /** The public origin the links in e-mails open (the gate: verification and password-reset pages). */
  APP_URL: z.url().default(DEV_APP_URL),
  /** Same key and grace as the order service: the QR in the e-mail is the one the door scans. */
  TICKET_SIGNING_KEY: z.string().min(40).default(DEV_TICKET_SEED),
  TICKET_QR_GRACE_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(12),
  /** Deliveries a failing send gets (retried with backoff up to 5 s apart) before it is parked in DEAD_LETTERS. */
  MAIL_MAX_DELIVER: z.coerce.number().int().min(1).max(1_000).default(50),
  /** Messages sent at once per consumer. */
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * A claim older than this is taken as sent: its worker died mid-send, and whether the SMTP
   * server accepted the message is unknown; at most once means not sending it again.
   */
  MAIL_CLAIM_STALE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
}).superRefine((config, ctx) => {
  // No Redis here: only NATS and Postgres must be real.
  refuseDevDefaults(ctx, config, { NATS_URL: DEV_URLS.NATS_URL, DATABASE_URL: DEV_URLS.DATABASE_URL, TICKET_SIGNING_KEY: DEV_TICKET_SEED, APP_URL: DEV_APP_URL });
  if (!devDefaultsAllowed(config) && !config.SMTP_URL) {
    ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "required outside development: the outbox is for development only" });
  }
});
export type MailConfig = z.infer<typeof MailConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): MailConfig => loadConfig(MailConfig, env);
