export { type AsyncPublisher, createAsyncPublisher, sharedPublisher } from "./async-publisher.ts";
export { MAX_BATCH_BYTES, batchMsgId, chunkBatches, tracedEntry } from "./batch-framing.ts";
export { type Bus, type ConnectBusOptions, connectBus } from "./connection.ts";
export { corkTurns } from "./cork-turns.ts";
export { decode, decodeSeatCommands, encode, type Decoded } from "./codec.ts";
export { type BusLogger, type ConsumeOptions, type ConsumeOutcome, type Consumption, consume } from "./consume.ts";
export { DEAD_LETTER_HEADERS, type DeadLetterReason, errorText, parkMessage } from "./dead-letters.ts";
export { type FailureKind, PermanentFailure, classifyFailure, retryDelayMs } from "./failures.ts";
export { type BatchItem, type ConsumeBatchesOptions, consumeBatches } from "./consume-batches.ts";
export { BusError } from "./errors.ts";
export {
  type TraceContext,
  childTraceparent,
  headersFor,
  newTraceContext,
  newTraceparent,
  traceContextOf,
} from "./headers.ts";
export { type PublishOptions, publish } from "./publish.ts";
export { DEFAULT_TOPOLOGY_DIR, ensureTopology, type KvDefinition, loadTopology, type Topology } from "./topology.ts";
export {
  HOP_TIMES_HEADER,
  type HopTimes,
  REPLY_TO_HEADER,
  type SeatCommandClient,
  type SeatCommandClientOptions,
  type SeatOutcome,
  createSeatCommandClient,
} from "./seat-commands.ts";
export { PULL_WINDOW } from "./pull-window.ts";
export { stopPulling } from "./consumer-renewal.ts";
export { FROM_SERVER, QuietSpell, type StarvedReason } from "./starved-consumer.ts";
