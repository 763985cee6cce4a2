import type { InvariantReport } from '../../scripts/chaos/invariants';
import type { Workload } from '../../scripts/chaos/workload';

/** Every request decided exactly once, no key with two live enrollments, one enrollment per key sent. */
export function expectNothingLostOrDoubled(report: InvariantReport, workload: Workload): void {
  expect(report).toMatchObject({
    lostRequests: 0,
    doubleDecisions: 0,
    duplicateLive: 0,
    enrolled: workload.distinctKeys,
  });
}
