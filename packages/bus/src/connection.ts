import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { corkTurns } from "./cork-turns.ts";
import { patiently } from "./patience.ts";

/** A live connection with the JetStream and KV handles every service needs. */
export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly kvm: Kvm;
  /** Stops new work, lets in-flight messages and subscriptions finish, then closes. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectBusOptions {
  servers: string | string[];
  /** Shown in `nats server report connections`: the service and instance. */
  name: string;
  /** Called on every connection status change (reconnecting, reconnected, disconnect…). */
  onStatus?: (status: { type: string; data?: unknown }) => void;
}

/**
 * Connects with unlimited reconnects: a NATS restart must pause the platform, not kill it.
 * Publishes made while disconnected are buffered by the client and flushed on reconnect.
 */
export async function connectBus(options: ConnectBusOptions): Promise<Bus> {
  const { servers, user, pass } = credentialsOf(options.servers);
  const nc = await connect({
    servers,
    ...(user !== undefined ? { user, pass: pass ?? "" } : {}),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    pingInterval: 10_000,
    waitOnFirstConnect: true,
    // Otherwise every request (each JetStream publish waits for its PubAck by one) builds an
    // Error up front for its stack trace: ~10 % of the order service's CPU parking 2,000 dead letters.
    noAsyncTraces: true,
  });
  coalesceTurns(nc);
  if (options.onStatus) {
    const onStatus = options.onStatus;
    void (async () => {
      for await (const status of nc.status()) onStatus(status as { type: string; data?: unknown });
    })();
  }
  const js = jetstream(nc);
  // Checking the API is a request JetStream answers only once it is up (on a cluster: a meta leader).
  const jsm = await patiently(() => jetstreamManager(nc, { checkAPI: true }));
  return {
    nc,
    js,
    jsm,
    kvm: new Kvm(js),
    drain: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
    close: async () => {
      if (!nc.isClosed()) await nc.close();
    },
  };
}

/** The socket under a connection: nats.js keeps it on its protocol's transport, a new one per (re)connect. */
export const socketOf = (nc: NatsConnection) =>
  (nc as unknown as { protocol?: { transport?: { socket?: import("node:stream").Writable } } }).protocol?.transport?.socket;

/**
 * nats.js writes what a callback published at the callback's end (a microtask); a busy worker runs
 * many callbacks a turn (a reply, the events, an ack, a pull, for each partition), each its own
 * `write(2)` and its own wake-up of nats-server. Corked to the turn's end they leave together, on
 * every socket the connection dials. Measured with `pnpm bench http` (docs/benchmarks.md, `## http`,
 * 5 Dec 2026): nats-server's CPU per hold ~7 % lower in each of eight pairs; a small gain.
 */
function coalesceTurns(nc: NatsConnection): void {
  const cork = () => {
    const socket = socketOf(nc);
    if (socket) corkTurns(socket);
  };
  cork();
  void (async () => {
    for await (const status of nc.status()) if (status.type === "reconnect") cork();
  })();
}

/**
 * Takes `user:password@` out of NATS URLs (`nats://order:secret@nats:4222`), so each service's
 * credentials travel in its one NATS_URL; the client gets them as options and the bare servers.
 */
export function credentialsOf(servers: string | string[]): { servers: string[]; user?: string; pass?: string } {
  let user: string | undefined;
  let pass: string | undefined;
  const bare = (Array.isArray(servers) ? servers : servers.split(",")).map((text) => {
    const trimmed = text.trim();
    if (!trimmed.includes("@")) return trimmed;
    const url = new URL(trimmed.includes("://") ? trimmed : `nats://${trimmed}`);
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
    return `${url.protocol}//${url.host}`;
  });
  return { servers: bare, ...(user !== undefined ? { user, pass } : {}) };
}
