import { describe, expect, it } from "vitest";
import { matchRoute, safeNext } from "./routes.ts";

describe("routes", () => {
  const id = "0b6f7c1e-2a3b-4c5d-8e9f-0123456789ab";
  it("routes: the demo's seat map URL opens the session page", () => {
    expect(matchRoute(`/sessions/${id}`)).toEqual({ name: "session", id });
    expect(matchRoute(`/events/${id}/`)).toEqual({ name: "event", id });
    expect(matchRoute("/")).toEqual({ name: "events" });
    expect(matchRoute("/tickets")).toEqual({ name: "tickets" });
    expect(matchRoute("/organizer/new")).toEqual({ name: "organizerNew" });
    expect(matchRoute(`/organizer/sessions/${id}`)).toEqual({ name: "organizerSession", id });
    expect(matchRoute("/verify-email")).toEqual({ name: "verifyEmail" });
    expect(matchRoute("/reset-password")).toEqual({ name: "resetPassword" });
    expect(matchRoute("/sessions/nope")).toEqual({ name: "notFound", path: "/sessions/nope" });
  });

  it("routes: after sign-in we only go to paths on this site", () => {
    expect(safeNext("/sessions/x")).toBe("/sessions/x");
    expect(safeNext("//evil.example/x")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
