import type { IncomingMessage } from "node:http";
import { type Socket, connect } from "node:net";
import type { FastifyInstance } from "fastify";

/**
 * Carries WebSocket upgrades on `path` to the notification service, so browsers reach live
 * updates on the gate's own origin. A byte pipe after the handshake: the gate neither parses
 * nor buffers frames. Other upgrade paths are refused.
 */
export function socketUpgradeProxy(app: FastifyInstance, options: { path: string; target: string; clientIp: (req: IncomingMessage) => string }): void {
  const target = new URL(options.target);
  const port = Number(target.port || 80);
  const sockets = new Set<Socket>();
  app.server.on("upgrade", (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!req.url?.startsWith(options.path)) {
      client.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
      return;
    }
    const upstream = connect(port, target.hostname, () => {
      const headers = Object.entries(req.headers)
        .filter(([name]) => name !== "x-forwarded-for")
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}`);
      headers.push(`x-forwarded-for: ${options.clientIp(req)}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    upstream.on("error", () => {
      if (!client.destroyed && client.writable && upstream.bytesRead === 0) client.end("HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n");
      close();
    });
    client.on("error", close);
    upstream.on("close", close);
    client.on("close", close);
  });
  // Upgraded sockets are not Fastify's: close them when the gate closes, or shutdown waits forever.
  app.addHook("onClose", async () => {
    for (const socket of sockets) socket.destroy();
  });
}
