import cluster, { type Worker } from "node:cluster";
import { lookup } from "node:dns/promises";
import type { Server as HttpServer } from "node:http";
import net from "node:net";
import { getSystemErrorName } from "node:util";

/**
 * Listen handles per gate process, all on the one listening socket. Node (libuv ≥ 1.45) accepts
 * one connection per handle per event-loop turn, and a gate busy with a sale turns its loop every
 * 20-50 ms: with one handle each, two processes took a 2,000-buyer burst's new connections at
 * ~100 a second, and the last buyers of the burst waited up to 9 s to be read at all (the load
 * run's queue-join tail). With 8, a process accepts 8 per turn; when fewer are waiting the other
 * handles' accept() answers EAGAIN, one cheap system call each.
 */
export const ACCEPT_HANDLES = 8;

/** A TCP listen handle as Node passes it between processes (`net.Native`). */
export type ListenHandle = object;

interface HandleMessage {
  rush: "gate:listen-handle";
  /** How many the worker is sent; 0: none, listen through the cluster module instead. */
  of: number;
}
const ASK = { rush: "gate:listen-handles" } as const;
const isHandleMessage = (message: unknown): message is HandleMessage =>
  typeof message === "object" && message !== null && (message as { rush?: unknown }).rush === "gate:listen-handle";

type CreateServerHandle = (address: string, port: number, addressType: 4 | 6, fd?: number, flags?: number) => ListenHandle | number;

/**
 * In the primary: the port bound once, not listened on here (its loop accepts nothing), to be
 * handed to every worker several times over. Each copy that crosses the IPC channel is a file
 * descriptor of its own in the worker, so the worker's loop can watch several. Node's cluster
 * module binds its shared handle with the same function; `undefined` when a Node lacks it, and the
 * workers then listen through the cluster module, one handle each, as before.
 */
export async function bindListenHandle(host: string, port: number): Promise<ListenHandle | undefined> {
  const create = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;
  if (typeof create !== "function") return undefined;
  const { address, family } = net.isIP(host) ? { address: host, family: net.isIP(host) } : await lookup(host);
  const handle = create(address, port, family === 6 ? 6 : 4);
  if (typeof handle === "number") {
    const code = getSystemErrorName(handle);
    throw Object.assign(new Error(`gate: cannot bind ${host}:${port}: ${code}`), { code });
  }
  return handle;
}

/** In the primary: answers each worker's ask with `count` copies of the handle (none without one). */
export function handOutListenHandles(worker: Worker, handle: ListenHandle | undefined, count = ACCEPT_HANDLES): void {
  worker.on("message", (message: unknown) => {
    if ((message as { rush?: unknown } | null)?.rush !== ASK.rush) return;
    // A worker that died meanwhile fails the send: its replacement asks again.
    const ignore = () => {};
    if (!handle) return void worker.send({ rush: "gate:listen-handle", of: 0 } satisfies HandleMessage, ignore);
    for (let i = 0; i < count; i++) worker.send({ rush: "gate:listen-handle", of: count } satisfies HandleMessage, handle as net.Server, ignore);
  });
}

/** In a worker: the primary's copies of the listen handle (empty: listen through the cluster module). */
export function listenHandlesFromPrimary(timeoutMs = 30_000): Promise<ListenHandle[]> {
  return new Promise((resolve, reject) => {
    const handles: ListenHandle[] = [];
    const done = (result: ListenHandle[] | Error) => {
      clearTimeout(timer);
      process.off("message", onMessage);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onMessage = (message: unknown, handle: unknown) => {
      if (!isHandleMessage(message)) return;
      if (message.of === 0) return done([]);
      if (handle) handles.push(handle as ListenHandle);
      if (handles.length === message.of) done(handles);
    };
    const timer = setTimeout(() => done(new Error(`gate: the primary sent ${handles.length} listen handles in ${timeoutMs} ms`)), timeoutMs);
    process.on("message", onMessage);
    if (!cluster.isWorker || !process.send) return done(new Error("gate: listen handles come from a primary, and this is not a gate worker"));
    process.send(ASK);
  });
}

/**
 * Extra acceptors: each handle a `net.Server` that gives what it accepts to `target`, as
 * `target`'s own listener would. Returns how to stop them (before `target` closes, so no
 * connection is handed to a server that is going away).
 */
export async function acceptInto(target: HttpServer, handles: ListenHandle[], backlog: number): Promise<{ close(): Promise<void> }> {
  const servers = await Promise.all(
    handles.map(
      (handle) =>
        new Promise<net.Server>((resolve, reject) => {
          // http.Server turns Nagle off on what it accepts (its `noDelay`); these must do the same.
          const server = net.createServer({ noDelay: true }, (socket) => target.emit("connection", socket));
          server.once("error", reject);
          server.listen(handle as net.Server, backlog, () => resolve(server));
        }),
    ),
  );
  return {
    close: () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined),
  };
}
