import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { ENROLLMENT_METHODS, type EnrollmentMethod } from '@cadence/contracts';
import { REASON_CODES, REQUEST_REFUSAL_REASONS, isEnrolledReason, type ReasonCode } from '@cadence/domain';
import { Metrics } from '@cadence/observability';

/**
 * `cadence_enrollment_decisions_total{method, outcome, reason}`: the reason label takes its values from
 * REASON_CODES, the same union the API answers with and the database's CHECK constraint names. Every
 * (method, reason) series exists from the start at 0, so a rate or an alert needs no first occurrence.
 */
@Injectable()
export class DecisionMetrics {
  private readonly decisions: Counter<'method' | 'outcome' | 'reason'>;

  constructor(metrics: Metrics) {
    this.decisions = metrics.counter(
      'cadence_enrollment_decisions_total',
      'Enroll requests decided, by method, outcome and reason',
      ['method', 'outcome', 'reason'],
    );
    for (const method of ENROLLMENT_METHODS) {
      for (const reason of REASON_CODES) this.decisions.inc(labels(method, reason), 0);
    }
    // A refused request may name no method (or one outside the vocabulary).
    for (const reason of REQUEST_REFUSAL_REASONS) this.decisions.inc(labels(null, reason), 0);
  }

  /** Counts decisions once their transaction committed. */
  recorded(decisions: ReadonlyArray<{ method: EnrollmentMethod | null; reason: ReasonCode }>): void {
    const counts = new Map<string, { method: EnrollmentMethod | null; reason: ReasonCode; n: number }>();
    for (const { method, reason } of decisions) {
      const key = `${method}|${reason}`;
      const entry = counts.get(key);
      if (entry) entry.n++;
      else counts.set(key, { method, reason, n: 1 });
    }
    for (const { method, reason, n } of counts.values()) this.decisions.inc(labels(method, reason), n);
  }
}

const labels = (method: EnrollmentMethod | null, reason: ReasonCode) => ({
  method: method ?? 'unknown',
  outcome: isEnrolledReason(reason) ? 'enrolled' : 'ignored',
  reason,
});
