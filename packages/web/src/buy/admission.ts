import type { QueueStatus } from "@rush/contracts";
import { joinQueue, queueStatus } from "../api/endpoints.ts";
import { ApiError } from "../api/problem.ts";

/** Renew an admission token this long before it expires. */
const RENEW_EARLY_MS = 20_000;

export class NotAdmittedError extends Error {
  constructor() {
    super("your place in the waiting room has lapsed: join the queue again");
    this.name = "NotAdmittedError";
  }
}

/**
 * Keeps the buyer's admission to a session fresh: the token from the waiting room is
 * short-lived, so it is fetched again (`GET …/queue`) shortly before it runs out.
 */
export interface AdmissionKeeper {
  headers(now?: number): Promise<Record<string, string>>;
}

export function createAdmissionKeeper(sessionId: string, initial: QueueStatus): AdmissionKeeper {
  let status = initial;
  return {
    async headers(now = Date.now()): Promise<Record<string, string>> {
      if (!status.waitingRoom) return {};
      const expiresAt = status.admissionExpiresAt ? Date.parse(status.admissionExpiresAt) : 0;
      if (!status.admissionToken || expiresAt - now < RENEW_EARLY_MS) {
        try {
          status = await queueStatus(sessionId);
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== "not_in_queue") throw error;
          status = await joinQueue(sessionId);
        }
      }
      if (!status.admitted || !status.admissionToken) throw new NotAdmittedError();
      return { "x-admission-token": status.admissionToken };
    },
  };
}
