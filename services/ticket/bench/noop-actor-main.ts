/**
 * The no-op actor as its own process (as a ticket worker is), so the ceiling and the engine
 * are measured with the same process layout. Env: NATS_URL, PARTITION. Prints "ready".
 */
import { connectBus } from "@rush/bus";
import { startNoopActor } from "./noop-actor.ts";

const bus = await connectBus({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "bench-noop-actor" });
const actor = await startNoopActor(bus, Number(process.env.PARTITION ?? 0), 512);
console.log("ready");
process.once("SIGTERM", async () => {
  actor.stop();
  await bus.close();
  process.exit(0);
});
