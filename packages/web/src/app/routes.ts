/** Every page the app has, read from the URL path (so links and reloads land where they point). */
export type Route =
  | { name: "events" }
  | { name: "event"; id: string }
  | { name: "session"; id: string }
  | { name: "signin" }
  | { name: "signup" }
  | { name: "verifyEmail" }
  | { name: "forgotPassword" }
  | { name: "resetPassword" }
  | { name: "tickets" }
  | { name: "orders" }
  | { name: "organizer" }
  | { name: "security" }
  | { name: "organizerNew" }
  | { name: "organizerSession"; id: string }
  | { name: "notFound"; path: string };

const UUID = "([0-9a-fA-F-]{36})";
const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/$/, () => ({ name: "events" })],
  [/^\/events\/?$/, () => ({ name: "events" })],
  [new RegExp(`^/events/${UUID}/?$`), (m) => ({ name: "event", id: m[1]! })],
  [new RegExp(`^/sessions/${UUID}/?$`), (m) => ({ name: "session", id: m[1]! })],
  [/^\/signin\/?$/, () => ({ name: "signin" })],
  [/^\/signup\/?$/, () => ({ name: "signup" })],
  [/^\/verify-email\/?$/, () => ({ name: "verifyEmail" })],
  [/^\/forgot-password\/?$/, () => ({ name: "forgotPassword" })],
  [/^\/reset-password\/?$/, () => ({ name: "resetPassword" })],
  [/^\/tickets\/?$/, () => ({ name: "tickets" })],
  [/^\/orders\/?$/, () => ({ name: "orders" })],
  [/^\/organizer\/?$/, () => ({ name: "organizer" })],
  [/^\/account\/security\/?$/, () => ({ name: "security" })],
  [/^\/organizer\/new\/?$/, () => ({ name: "organizerNew" })],
  [new RegExp(`^/organizer/sessions/${UUID}/?$`), (m) => ({ name: "organizerSession", id: m[1]! })],
];

export function matchRoute(pathname: string): Route {
  for (const [pattern, build] of PATTERNS) {
    const m = pattern.exec(pathname);
    if (m) return build(m);
  }
  return { name: "notFound", path: pathname };
}

/** Where to go after signing in: only a path on this site (never `//evil.example`). */
export function safeNext(next: string | null | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}
