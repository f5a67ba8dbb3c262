export declare const STEP_P99_MS: Record<string, number>;
export declare const MAX_RATE_LIMITED_SHARE: number;
export interface RuleInput {
  requests: number;
  /** Buyers the run was for (the share challenged is counted against them). */
  buyers?: number;
  /** `notArrived`: buyers whose visit the load generator never started, out of `buyers`. */
  totals: { granted: number; serverErrors: number; rateLimited: number; challenged?: number; notArrived?: number };
  steps: Record<string, { count: number; p99: number }>;
  audit?: { doubleGranted: string[]; paidWithoutTickets: string[] } | null;
}
export declare function failuresOf(report: RuleInput, p99Scale?: number): string[];
