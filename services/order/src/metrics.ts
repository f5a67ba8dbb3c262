import { Counter, type Registry } from "prom-client";

export function createOrderMetrics(registry: Registry) {
  return {
    doubleSales: new Counter({
      name: "rush_order_double_sale_refusals_total",
      help: "Seats a sale named that already had another order's ticket (refused by UNIQUE(session_id, seat_id))",
      registers: [registry],
    }),
    repairs: new Counter({
      name: "rush_order_repairs_total",
      help: "Orders the repair pass fixed: completed with tickets, handed back for a refund, or brought in line with their payment's end",
      labelNames: ["kind"],
      registers: [registry],
    }),
    checkIns: new Counter({
      name: "rush_ticket_check_ins_total",
      help: "Ticket scans by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
}
