/**
 * The bench's yardstick: a bare Fastify POST route (parse the JSON body, answer a small JSON
 * object) in its own process, served to the same client as the holds. Prints its port.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.post("/bare", async (request) => ({ ok: true, echo: (request.body as { areaId?: string } | null)?.areaId ?? null }));
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
console.log(typeof address === "object" && address ? address.port : "");
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
