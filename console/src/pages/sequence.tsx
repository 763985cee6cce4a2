import { useState } from 'preact/hooks';
import { api, type ApiError } from '../api/client';
import type { Sequence, SequenceDefinition } from '../api/types';
import { FunnelChart, FunnelTotals } from '../components/funnel-chart';
import { KeyValues } from '../components/key-values';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { href } from '../router';
import { asApiError, useResource } from '../use-resource';
import { ActiveBadge, triggerSummary } from './sequences';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const delay = (minutes: number): string =>
  minutes === 0
    ? 'at once'
    : minutes % 1440 === 0
      ? `${minutes / 1440} d`
      : minutes % 60 === 0
        ? `${minutes / 60} h`
        : `${minutes} min`;

function Definition({ definition }: { definition: SequenceDefinition }) {
  return (
    <>
      <dl class="facts">
        <dt>Target</dt>
        <dd>{definition.targetType}</dd>
        <dt>Enrolls on</dt>
        <dd>{triggerSummary(definition)}</dd>
        <dt>Exit rules</dt>
        <dd>{definition.exitRules.length ? definition.exitRules.join(', ') : 'none (cancel only)'}</dd>
        <dt>Send window</dt>
        <dd>
          {definition.sendWindow
            ? `${definition.sendWindow.days.map((d) => DAYS[d]).join(' ')} ${definition.sendWindow.startHour}:00–${definition.sendWindow.endHour}:00`
            : "the account's"}
        </dd>
        <dt>Re-entry</dt>
        <dd>{definition.reentry?.policy ?? 'always'}</dd>
        {definition.dailyCap !== undefined && (
          <>
            <dt>Daily cap</dt>
            <dd>{definition.dailyCap}</dd>
          </>
        )}
      </dl>
      <ol class="steps" aria-label="Steps">
        {definition.steps.map((step, index) => (
          <li key={index}>
            <span class="badge">{step.channel}</span> after {delay(step.delayMinutes)}:{' '}
            {step.content ?? (step.template ? `template ${step.template.name}` : '')}
            {step.template && <KeyValues values={step.template.variables} />}
          </li>
        ))}
      </ol>
    </>
  );
}

function Activation({ sequence, onChanged }: { sequence: Sequence; onChanged: (s: Sequence) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.setSequenceActive(sequence.id, !sequence.active));
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      <button
        type="button"
        class={sequence.active ? 'button secondary' : 'button'}
        disabled={busy || (!sequence.active && sequence.publishedVersion === null)}
        onClick={() => void toggle()}
      >
        {sequence.active ? 'Deactivate' : 'Activate'}
      </button>
      {!sequence.active && sequence.publishedVersion === null && (
        <p class="hint">Publish a version first (POST /v1/sequences/{'{id}'}/publish).</p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

function FunnelSection({ sequenceId, version }: { sequenceId: string; version: number }) {
  const [funnel, reload] = useResource(() => api.funnel(sequenceId, version), [sequenceId, version]);
  return (
    <div class="card">
      <div class="page-head">
        <h2>Funnel of v{version}</h2>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {funnel.status === 'loading' && <Loading what="the funnel" />}
      {funnel.status === 'error' && <ErrorNotice error={funnel.error} retry={reload} />}
      {funnel.status === 'ready' && (
        <>
          <FunnelTotals funnel={funnel.data} />
          {funnel.data.entered === 0 ? (
            <Empty>
              <p>No contact entered this version yet.</p>
            </Empty>
          ) : (
            <FunnelChart funnel={funnel.data} />
          )}
        </>
      )}
    </div>
  );
}

/** One sequence: its published versions (each definition), activation, and the funnel per step. */
export function SequencePage({ id, params }: { id: string; params: URLSearchParams }) {
  const [sequence, reload, replace] = useResource(() => api.sequence(id), [id]);
  const published = sequence.status === 'ready' ? sequence.data.publishedVersion : null;
  const chosen = Number(params.get('version')) || published;
  const [version] = useResource(async () => (chosen ? api.sequenceVersion(id, chosen) : null), [id, chosen]);
  if (sequence.status === 'loading') return <Loading what="the sequence" />;
  if (sequence.status === 'error') return <ErrorNotice error={sequence.error} retry={reload} />;
  const s = sequence.data;
  const versions = Array.from({ length: s.publishedVersion ?? 0 }, (_, i) => (s.publishedVersion ?? 0) - i);
  return (
    <section>
      <p class="breadcrumb">
        <a href={href(['sequences'])}>Sequences</a> / {s.name}
      </p>
      <div class="page-head">
        <h1>
          {s.name} <ActiveBadge active={s.active} />
        </h1>
        <div class="button-row">
          <a class="button secondary" href={href(['enrollments'], { sequenceId: s.id })}>
            Its enrollments
          </a>
          <a class="button secondary" href={href(['enroll'], { sequenceId: s.id })}>
            Enroll contacts
          </a>
        </div>
      </div>
      <div class="grid two">
        <div class="card">
          <h2>Versions</h2>
          {versions.length === 0 ? (
            <p class="muted">Not published yet: only a draft exists.</p>
          ) : (
            <ul class="version-list">
              {versions.map((v) => (
                <li key={v}>
                  <a
                    href={href(['sequences', s.id], { version: v })}
                    aria-current={v === chosen ? 'true' : undefined}
                    class={v === chosen ? 'active' : undefined}
                  >
                    v{v}
                    {v === s.publishedVersion ? ' (latest)' : ''}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <Activation sequence={s} onChanged={replace} />
        </div>
        <div class="card">
          <h2>{chosen ? `Version ${chosen}` : 'Draft'}</h2>
          {chosen === null || chosen === 0 ? (
            <Definition definition={s.draft} />
          ) : version.status === 'ready' && version.data ? (
            <Definition definition={version.data.definition} />
          ) : version.status === 'error' ? (
            <ErrorNotice error={version.error} />
          ) : (
            <Loading what={`version ${chosen}`} />
          )}
        </div>
      </div>
      {chosen ? <FunnelSection sequenceId={s.id} version={chosen} /> : null}
    </section>
  );
}
