import { useState } from 'preact/hooks';
import { useSignedIn } from '../account-context';
import { settledAnswer } from '../api/answers';
import { api } from '../api/client';
import type { EnrollmentDetail, HistoryEntry, SequenceVersion } from '../api/types';
import { ReasonBadge, StateBadge } from '../components/badges';
import { KeyValues } from '../components/key-values';
import { ErrorNotice, Loading } from '../components/states';
import { Time } from '../components/time';
import { href } from '../router';
import { asApiError, useResource } from '../use-resource';
import type { ApiError } from '../api/client';

type Transition = 'pause' | 'resume' | 'cancel';
const DONE: Record<Transition, string> = { pause: 'Paused', resume: 'Resumed', cancel: 'Cancelled' };

function Actions({ enrollment, onChanged }: { enrollment: EnrollmentDetail; onChanged: () => void }) {
  const { userId } = useSignedIn();
  const [running, setRunning] = useState<Transition | null>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const live = enrollment.state === 'active' || enrollment.state === 'paused';

  const run = async (kind: Transition) => {
    setRunning(kind);
    setOutcome(null);
    setError(null);
    setConfirmingCancel(false);
    try {
      const accepted = await api.transition(enrollment.id, kind, userId);
      const answer = await settledAnswer(accepted.requestId);
      if (answer.status === 'applied') setOutcome(`${DONE[kind]}.`);
      else if (answer.status === 'unchanged') setOutcome(`Nothing changed: ${answer.why}`);
      else setOutcome(`Accepted (request ${accepted.requestId}); not applied yet.`);
      onChanged();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setRunning(null);
    }
  };

  return (
    <div class="actions">
      {!live && <p class="muted">This enrollment has ended ({enrollment.state}); it can no longer change.</p>}
      {live && (
        <div class="button-row">
          {enrollment.state === 'active' && (
            <button
              type="button"
              class="button"
              disabled={running !== null}
              onClick={() => void run('pause')}
            >
              {running === 'pause' ? 'Pausing…' : 'Pause'}
            </button>
          )}
          {enrollment.state === 'paused' && (
            <button
              type="button"
              class="button"
              disabled={running !== null}
              onClick={() => void run('resume')}
            >
              {running === 'resume' ? 'Resuming…' : 'Resume'}
            </button>
          )}
          {confirmingCancel ? (
            <>
              <button
                type="button"
                class="button danger"
                disabled={running !== null}
                onClick={() => void run('cancel')}
              >
                Confirm cancel
              </button>
              <button type="button" class="button secondary" onClick={() => setConfirmingCancel(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button
              type="button"
              class="button secondary"
              disabled={running !== null}
              onClick={() => setConfirmingCancel(true)}
            >
              {running === 'cancel' ? 'Cancelling…' : 'Cancel enrollment'}
            </button>
          )}
        </div>
      )}
      {outcome && (
        <p class="notice" role="status">
          {outcome}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

function HistoryLine({ entry }: { entry: HistoryEntry }) {
  const { provenance, ...details } = entry.details;
  return (
    <li class="timeline-item">
      <div class="timeline-head">
        <Time at={entry.at} />
        <span>
          {entry.fromState ? <StateBadge state={entry.fromState} /> : <span class="muted">new</span>}
          <span aria-label="to"> → </span>
          <StateBadge state={entry.toState} />
        </span>
      </div>
      <p class="timeline-cause">
        <span class="label">Cause</span> <strong>{entry.cause}</strong>
        {entry.stepIndex !== null && <span class="muted"> · step {entry.stepIndex + 1}</span>}
      </p>
      {typeof provenance === 'object' && provenance !== null && Object.keys(provenance).length > 0 && (
        <div class="provenance">
          <span class="label">Provenance</span>
          <KeyValues values={{ ...provenance }} />
        </div>
      )}
      <KeyValues values={details} />
    </li>
  );
}

function NextStep({
  enrollment,
  version,
}: {
  enrollment: EnrollmentDetail;
  version: SequenceVersion | null;
}) {
  const steps = version?.definition.steps ?? [];
  const step = steps[enrollment.nextStepIndex];
  if (enrollment.state !== 'active' && enrollment.state !== 'paused') return <span class="muted">none</span>;
  return (
    <span>
      Step {enrollment.nextStepIndex + 1}
      {steps.length > 0 ? ` of ${steps.length}` : ''}
      {step ? ` (${step.channel})` : ''}
      {enrollment.state === 'paused' ? (
        ' — paused'
      ) : (
        <>
          , due <Time at={enrollment.nextStepDueAt} empty="not scheduled" />
        </>
      )}
      {enrollment.parkedReason && <span class="badge reason-bad"> parked: {enrollment.parkedReason}</span>}
    </span>
  );
}

/** One enrollment: what it pinned, what comes next, its history with each cause, and pause/resume/cancel. */
export function EnrollmentPage({ id }: { id: string }) {
  const [detail, reload] = useResource(() => api.enrollment(id), [id]);
  const sequenceId = detail.status === 'ready' ? detail.data.sequenceId : null;
  const pinned = detail.status === 'ready' ? detail.data.sequenceVersion : null;
  const [sequence] = useResource(async () => (sequenceId ? api.sequence(sequenceId) : null), [sequenceId]);
  const [version] = useResource(
    async () => (sequenceId && pinned ? api.sequenceVersion(sequenceId, pinned) : null),
    [sequenceId, pinned],
  );

  if (detail.status === 'loading') return <Loading what="the enrollment" />;
  if (detail.status === 'error')
    return (
      <section>
        <h1>Enrollment</h1>
        <ErrorNotice error={detail.error} retry={reload} />
        <p>
          <a href={href(['enrollments'])}>Back to the enrollments</a>
        </p>
      </section>
    );
  const enrollment = detail.data;
  const decision = enrollment.decision;
  const sequenceName =
    sequence.status === 'ready' && sequence.data ? sequence.data.name : enrollment.sequenceId;
  return (
    <section>
      <p class="breadcrumb">
        <a href={href(['enrollments'])}>Enrollments</a> / {enrollment.contactId}
      </p>
      <div class="page-head">
        <h1>
          {enrollment.contactId} <StateBadge state={enrollment.state} />
        </h1>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <div class="grid two">
        <div class="card">
          <h2>Enrollment</h2>
          <dl class="facts">
            <dt>Sequence</dt>
            <dd>
              <a href={href(['sequences', enrollment.sequenceId])}>{sequenceName}</a>
            </dd>
            <dt>Pinned version</dt>
            <dd>v{enrollment.sequenceVersion}</dd>
            <dt>Next step</dt>
            <dd>
              <NextStep enrollment={enrollment} version={version.status === 'ready' ? version.data : null} />
            </dd>
            <dt>Method</dt>
            <dd>{enrollment.method}</dd>
            <dt>Target</dt>
            <dd>
              {enrollment.targetType} {enrollment.targetId}
            </dd>
            <dt>Enrolled</dt>
            <dd>
              <Time at={enrollment.createdAt} />
            </dd>
            {enrollment.endedAt && (
              <>
                <dt>Ended</dt>
                <dd>
                  <Time at={enrollment.endedAt} /> {enrollment.endReason && `(${enrollment.endReason})`}
                </dd>
              </>
            )}
            <dt>Id</dt>
            <dd>
              <code>{enrollment.id}</code>
            </dd>
          </dl>
          <Actions enrollment={enrollment} onChanged={reload} />
        </div>
        <div class="card">
          <h2>Decision</h2>
          {decision ? (
            <>
              <p>
                <ReasonBadge reason={decision.reason} /> {decision.explanation}
              </p>
              <dl class="facts">
                <dt>Decided</dt>
                <dd>
                  <Time at={decision.decidedAt} />
                </dd>
                <dt>Request</dt>
                <dd>
                  <a href={href(['why'], { requestId: decision.requestId })}>
                    <code>{decision.requestId}</code>
                  </a>
                </dd>
              </dl>
              <h3>Provenance</h3>
              <KeyValues values={decision.provenance} />
            </>
          ) : (
            <p class="muted">No decision is kept for this enrollment (pruned by retention).</p>
          )}
        </div>
      </div>
      <div class="card">
        <h2>History</h2>
        {enrollment.history.length === 0 ? (
          <p class="muted">No history yet.</p>
        ) : (
          <ol class="timeline" aria-label="History">
            {enrollment.history.map((entry, index) => (
              <HistoryLine key={index} entry={entry} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
