/** The runners' common report (JSON beside the HTML page). */
export interface LoadReport {
  runner: "node" | "k6";
  runId: string;
  startedAt: string;
  baseUrl: string;
  sessionId: string;
  buyers: number;
  elapsedSeconds: number;
  requests: number;
  totals: {
    granted: number;
    seatsGranted: number;
    refused: number;
    pending: number;
    paid: number;
    ticketsIssued: number;
    rateLimited: number;
    serverErrors: number;
    /** Queue joins answered 428 (a proof of work asked)… */
    challenged: number;
    /** …and of those, solved and admitted to the waiting room. */
    solved: number;
  };
  rates: { holdsPerSecond: number; paymentsPerSecond: number };
  statuses: Record<string, number>;
  steps: Record<string, { count: number; p50: number; p95: number; p99: number; max: number; thresholdMs?: number }>;
  timeline: { t: number; grants: number; payments: number; requests: number; limited: number; holdP50: number | null; holdP99: number | null }[];
  audit: { doubleGranted: string[]; paidWithoutTickets: string[]; ticketsIssued: number } | null;
  failures: string[];
  notes: string[];
}
export declare function lineChart(title: string, unit: string, xs: number[], series: { name: string; color: string; values: (number | null)[] }[]): string;
export declare function renderHtml(report: LoadReport): string;
export declare function timelineCharts(report: LoadReport): string;
