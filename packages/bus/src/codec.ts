import { type SeatCommandMessage, readSeatCommandMessage } from "@rush/contracts";
import type { z } from "zod";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Validates then encodes: a message that breaks its contract is a bug at the sender, never sent. */
export function encode<S extends z.ZodType>(schema: S, value: z.input<S>): Uint8Array {
  return encoder.encode(JSON.stringify(schema.parse(value)));
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses and validates; a failure is reported, not thrown, so the caller can terminate a poison message. */
export function decode<S extends z.ZodType>(schema: S, data: Uint8Array): Decoded<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.message };
}

/** A SEAT_COMMANDS message's commands (one, or a batch's entries), and why any are poison. */
export function decodeSeatCommands(data: Uint8Array): SeatCommandMessage {
  try {
    return readSeatCommandMessage(JSON.parse(decoder.decode(data)));
  } catch (error) {
    return { batch: false, entries: [], poison: [`not JSON: ${(error as Error).message}`] };
  }
}
