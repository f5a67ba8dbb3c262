import type { ConsumeOutcome } from "@rush/bus";
import { Counter, type Registry } from "prom-client";

/**
 * Per-consumer delivery outcomes for `/metrics`: `rush_consumer_messages_total{consumer,outcome}`,
 * `rush_consumer_renewals_total{consumer}` (see `consume`'s renewal after a reconnect) and
 * `rush_dead_letters_total{consumer,reason}` — a rising dead-letter count is an alert, since
 * each one is a message nothing will process until someone replays it.
 */
export function consumerMetrics(registry: Registry) {
  const messages = new Counter({
    name: "rush_consumer_messages_total",
    help: "Deliveries to a durable consumer by outcome (handled, retried, parked)",
    labelNames: ["consumer", "outcome"],
    registers: [registry],
  });
  const renewals = new Counter({
    name: "rush_consumer_renewals_total",
    help: "Times a durable consumer was read through a fresh pull after a NATS reconnect or two missed heartbeats",
    labelNames: ["consumer"],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: "rush_dead_letters_total",
    help: "Messages parked in DEAD_LETTERS by consumer and reason (schema, permanent, exhausted)",
    labelNames: ["consumer", "reason"],
    registers: [registry],
  });
  return {
    /** The `onOutcome` hook for `consume` of one consumer. */
    of(consumer: string) {
      // Zero series up front, so a dashboard shows 0 rather than nothing before the first parking.
      for (const reason of ["schema", "permanent", "exhausted"]) deadLetters.inc({ consumer, reason }, 0);
      return (outcome: ConsumeOutcome) => {
        messages.inc({ consumer, outcome: outcome.kind });
        if (outcome.kind === "parked") deadLetters.inc({ consumer, reason: outcome.reason });
      };
    },
    /** The `onRenewed` hook for `consume` of one consumer. */
    renewalsOf(consumer: string) {
      renewals.inc({ consumer }, 0);
      return () => renewals.inc({ consumer });
    },
  };
}
