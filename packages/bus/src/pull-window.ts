/**
 * How every consumer of this project pulls: the durable ones (`renewingMessages`) and the seat
 * actors' ordered ones (services/ticket). One policy, so the two cannot drift apart again.
 *
 * - Each pull lasts 30 s (the client's default). Not shorter: consumers went silent under load
 *   when their pulls ended (commands waiting, no pull at the server, nothing logged). With the
 *   actors' 4 s pulls the http bench had 4–5 silent consumers and 19–24 holds answered 202 a run;
 *   with 30 s pulls none in two runs of the same hour (docs/benchmarks.md, `## http`, 3 Dec
 *   15:19–15:27), and once in the five runs after (18:24: four busy partitions silent ~2 s,
 *   30.0 s after their consumers started, when the first pulls expired). On 4 Dec 18:56 the
 *   server was caught holding no pull of the silent consumers (`num_waiting` 0, `num_pending`
 *   growing) while the client believed one outstanding; a stand-alone client on the same 2.9.10
 *   always got the 408 that ends a pull, so the cause is still not proven.
 * - An idle pull is heartbeated every second. After a heartbeat and a quarter with nothing from
 *   the server (a busy seat actor: ten of its usual gaps, at least 250 ms) a consumer asks for its own
 *   info and reads on through a fresh pull when the server holds none of its pulls or keeps
 *   messages from it (starved-consumer.ts, ~0.3–1.5 s); two missed
 *   heartbeats (2–3 s) make it read on in any case: a silent pull, or one lost with its node on a
 *   cluster (a pull sent while the consumer had no leader goes nowhere). With the default
 *   heartbeats (15 s) a partition once stood still for 45 s, and an order consumer's 5 s silence
 *   made 64 pays give up with 503 `order_pending` in a k6 run. Idle cost: a heartbeat a second
 *   per consumer, and a look at the clock every 250–500 ms.
 */
export const PULL_WINDOW = { expiresMs: 30_000, heartbeatMs: 1_000 } as const;
