import { type Bus, type Consumption, consume } from "@rush/bus";
import { OrderEvent, STREAMS, TicketEvent, UserEvent, WaitlistStreamEvent } from "@rush/contracts";
import type { Db } from "@rush/db";
import { type Logger, consumerMetrics, createServiceApp, createTicketSigner, natsCheck, postgresCheck } from "@rush/service";
import type { FastifyInstance } from "fastify";
import { Counter, type Registry } from "prom-client";
import type { MailConfig } from "./config.ts";
import { createDeliveries } from "./deliveries.ts";
import { accountMails, orderMails, resaleMails, ticketMails } from "./handlers.ts";
import { createLookups } from "./lookups.ts";
import { waitlistMails } from "./waitlist-handler.ts";
import { type MailOutcome, createMailer } from "./mailer.ts";
import { outboxRoutes } from "./outbox-routes.ts";
import { type MailTransport, outboxTransport, smtpTransport } from "./transport.ts";

/** The durable consumers (nats/consumers) the mail instances share, and what each decodes. */
export const MAIL_CONSUMERS = {
  // Two filters (nats-server 2.9 has no multi-filter consumers) rather than `order.>`, which would
  // bring the mail worker a delivery and an ack for every hold of a flash sale (order.created).
  orders: { stream: STREAMS.orders, consumer: "mail-orders", schema: OrderEvent },
  refunds: { stream: STREAMS.orders, consumer: "mail-refunds", schema: OrderEvent },
  users: { stream: STREAMS.users, consumer: "mail-users", schema: UserEvent },
  tickets: { stream: STREAMS.tickets, consumer: "mail-tickets", schema: TicketEvent },
  waitlist: { stream: STREAMS.seatEvents, consumer: "mail-waitlist", schema: WaitlistStreamEvent },
  resales: { stream: STREAMS.tickets, consumer: "mail-resales", schema: TicketEvent },
} as const;

export interface MailDeps {
  config: MailConfig;
  bus: Bus;
  db: Db;
  logger: Logger;
  metrics: Registry;
  /** Defaults to SMTP when `SMTP_URL` is set, else the outbox. */
  transport?: MailTransport;
  clock?: () => number;
}

export interface MailService {
  app: FastifyInstance;
  transport: MailTransport;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The mail worker: its stream consumers that render and send, plus health, metrics and (development) the outbox page. */
export async function buildMailService(deps: MailDeps): Promise<MailService> {
  const { config, bus, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const transport = deps.transport ?? (config.SMTP_URL ? smtpTransport(config.SMTP_URL, config.MAIL_FROM) : outboxTransport(config.OUTBOX_DIR, config.MAIL_FROM, clock));
  const app = createServiceApp({ logger, metrics: deps.metrics, checks: { nats: natsCheck(bus), postgres: postgresCheck(deps.db.sql) } });
  if (transport.kind === "outbox") await app.register(outboxRoutes, { dir: config.OUTBOX_DIR });

  const mails = new Counter({ name: "rush_mail_total", help: "E-mails by template and outcome (sent, duplicate, failed, skipped)", labelNames: ["template", "outcome"], registers: [deps.metrics] });
  const count = (template: string, outcome: MailOutcome) => mails.inc({ template, outcome });
  const handlerDeps = {
    lookups: createLookups(deps.db.db),
    deliver: createMailer({ deliveries: createDeliveries(deps.db.db, { staleMs: config.MAIL_CLAIM_STALE_MS, clock }), transport, onOutcome: count }),
    signer: createTicketSigner(config.TICKET_SIGNING_KEY),
    qrGraceMs: config.TICKET_QR_GRACE_HOURS * 3_600_000,
    appUrl: config.APP_URL,
    clock,
    onSkipped: count,
  };
  const outcomes = consumerMetrics(deps.metrics);
  const consumptions: Consumption[] = [];
  const common = (consumer: string) => ({ logger, maxDeliver: config.MAIL_MAX_DELIVER, concurrency: config.MAIL_CONCURRENCY, onOutcome: outcomes.of(consumer), onRenewed: outcomes.renewalsOf(consumer) });

  return {
    app,
    transport,
    async start() {
      const { orders, refunds, users, tickets, waitlist, resales } = MAIL_CONSUMERS;
      consumptions.push(
        // One order's e-mails in order within each consumer; a refund comes long after its confirmation.
        await consume(bus, { ...orders, ...common(orders.consumer), keyOf: (e) => ("orderId" in e ? e.orderId : undefined), handle: orderMails(handlerDeps) }),
        await consume(bus, { ...refunds, ...common(refunds.consumer), keyOf: (e) => ("orderId" in e ? e.orderId : undefined), handle: orderMails(handlerDeps) }),
        await consume(bus, { ...users, ...common(users.consumer), handle: accountMails(handlerDeps) }),
        await consume(bus, { ...tickets, ...common(tickets.consumer), keyOf: (e) => e.ticketId, handle: ticketMails(handlerDeps) }),
        await consume(bus, { ...waitlist, ...common(waitlist.consumer), keyOf: (e) => e.entryId, handle: waitlistMails(handlerDeps) }),
        await consume(bus, { ...resales, ...common(resales.consumer), keyOf: (e) => e.ticketId, handle: resaleMails(handlerDeps) }),
      );
    },
    async stop() {
      await Promise.all(consumptions.map((c) => c.stop()));
      transport.close();
    },
  };
}
