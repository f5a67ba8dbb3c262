/**
 * Reads a V8 `.cpuprofile` (written by `--cpu-prof`) and sums self time by what ran — an npm
 * package, a Node core module, a workspace package, GC — within a window of the monotonic clock
 * (the one `process.hrtime` reads, so the bench can name the seconds of one load level).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What a frame belongs to, for a per-hold breakdown people can act on. */
export function categoryOf(functionName: string, url: string): string | undefined {
  if (functionName === "(idle)") return undefined;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "V8/native (program)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? "?");
  }
  if (url.startsWith("node:")) {
    const parts = url.slice(5).split("/");
    return `node:${parts[0] === "internal" ? (parts[1] ?? "internal").replace(/\.js$/, "") : parts[0]}`;
  }
  const workspace = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (workspace) return workspace[1] === "packages" ? `@rush/${workspace[2]}` : `${workspace[2]} (own code)`;
  if (!url) return `builtin ${functionName || "(anonymous)"}`;
  return url.split("/").slice(-2).join("/");
}

export interface ProfileSummary {
  /** Microseconds of CPU sampled in the window (idle excluded). */
  busyUs: number;
  byCategory: [string, number][];
}

/** Self time per category between `fromUs` and `toUs` (monotonic microseconds). */
export function summarizeProfile(path: string, fromUs: number, toUs: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as Profile;
  const categories = new Map<number, string | undefined>();
  for (const node of profile.nodes) categories.set(node.id, categoryOf(node.callFrame.functionName, node.callFrame.url));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const span = profile.timeDeltas[i + 1] ?? 0;
    if (at < fromUs || at > toUs) continue;
    const category = categories.get(profile.samples[i]!);
    if (!category) continue;
    busyUs += span;
    totals.set(category, (totals.get(category) ?? 0) + span);
  }
  return { busyUs, byCategory: [...totals].sort((a, b) => b[1] - a[1]) };
}

/** The monotonic clock in microseconds, as V8 profiles stamp their samples. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
