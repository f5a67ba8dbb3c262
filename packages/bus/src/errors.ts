/** Errors of the bus package: a stable `code` and the underlying `cause`. */
export class BusError extends Error {
  constructor(
    readonly code: "BUS_TOPOLOGY_INVALID" | "BUS_PUBLISH_REJECTED" | "BUS_NOT_CONNECTED",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BusError";
  }
}
