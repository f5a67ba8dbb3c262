import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that spend minutes waiting on purpose (a three-minute database outage) and little CPU:
 * they start first, on a worker of their own, so the integration tier runs beside them instead
 * of after them. Otherwise vitest's order: earlier failures and longer files first.
 */
export const LONG_WAITS = ["services/payment/src/money-outage.e2e.test.ts"];

const isLongWait = (spec: TestSpecification) => LONG_WAITS.some((file) => spec.moduleId.endsWith(file));

export default class LongWaitsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter(isLongWait), ...sorted.filter((spec) => !isLongWait(spec))];
  }
}
