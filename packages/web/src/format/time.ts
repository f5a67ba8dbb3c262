/** Whole seconds left until `deadline` (never negative). */
export const secondsLeft = (deadline: number, now: number): number => Math.max(0, Math.ceil((deadline - now) / 1000));

/** A countdown as a clock: 9:05, 1:02:03. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The same countdown in words, for screen readers: "9 minutes 5 seconds". */
export function countdownWords(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) parts.push(`${h} hour${h === 1 ? "" : "s"}`);
  if (m) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  if (r || parts.length === 0) parts.push(`${r} second${r === 1 ? "" : "s"}`);
  return parts.join(" ");
}

/** A rough wait for people in a queue: "less than a minute", "about 4 minutes", "about 2 hours". */
export function formatWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "unknown";
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hours`;
}

/** "You are next.", "1 person ahead of you.", "1,234 people ahead of you." */
export function peopleAhead(position: number): string {
  const ahead = position - 1;
  if (ahead <= 0) return "You are next.";
  return `${ahead.toLocaleString("en")} ${ahead === 1 ? "person" : "people"} ahead of you.`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** An ISO instant in the reader's time zone: "1 Jun 2030, 19:30". */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
