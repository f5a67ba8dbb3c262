import { errors } from "@nats-io/transport-node";
import { JetStreamApiError } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { isUnanswered, patiently } from "./patience.ts";

describe("patience", () => {
  it("patience: a timeout, no responders and 'temporarily unavailable' are not answers; 'not found' and a bad config are", () => {
    expect(isUnanswered(new errors.TimeoutError())).toBe(true);
    expect(isUnanswered(new errors.RequestError("request failed", { cause: new errors.NoRespondersError("$JS.API.INFO") }))).toBe(true);
    expect(isUnanswered(new JetStreamApiError({ code: 503, err_code: 10008, description: "JetStream system temporarily unavailable" }))).toBe(true);
    expect(isUnanswered(new JetStreamApiError({ code: 404, err_code: 10059, description: "stream not found" }))).toBe(false);
    expect(isUnanswered(new JetStreamApiError({ code: 400, err_code: 10052, description: "replicas > 1 not supported in non-clustered mode" }))).toBe(false);
  });

  it("patience: a step that times out is asked again until it answers; one that fails for good is thrown at once", async () => {
    let calls = 0;
    const value = await patiently(async () => {
      if (++calls < 3) throw new errors.TimeoutError();
      return "made";
    });
    expect({ value, calls }).toEqual({ value: "made", calls: 3 });

    let bad = 0;
    const refused = patiently(async () => {
      bad++;
      throw new JetStreamApiError({ code: 400, err_code: 10052, description: "replicas > 1 not supported in non-clustered mode" });
    });
    await expect(refused).rejects.toThrow("replicas");
    expect(bad).toBe(1);
  });
});
