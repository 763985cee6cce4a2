import { api } from '../api/client';
import type { SequenceDefinition } from '../api/types';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { href } from '../router';
import { useResource } from '../use-resource';

export const triggerSummary = (definition: SequenceDefinition | null): string =>
  !definition || definition.triggers.length === 0
    ? 'manual, bulk, API, automation'
    : definition.triggers
        .map((trigger) => {
          if (trigger.type === 'event') return `event ${String(trigger.eventType)}`;
          if (trigger.type === 'inactivity') return `idle ${String(trigger.limitMinutes)} min`;
          return 'AI';
        })
        .join(', ');

export function ActiveBadge({ active }: { active: boolean }) {
  return (
    <span class={`badge ${active ? 'state-active' : 'state-cancelled'}`}>
      {active ? 'active' : 'inactive'}
    </span>
  );
}

export function SequencesPage() {
  const [sequences, reload] = useResource(() => api.sequences(), []);
  return (
    <section>
      <div class="page-head">
        <h1>Sequences</h1>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {sequences.status === 'loading' && <Loading what="sequences" />}
      {sequences.status === 'error' && <ErrorNotice error={sequences.error} retry={reload} />}
      {sequences.status === 'ready' && sequences.data.length === 0 && (
        <Empty>
          <p>
            No sequences yet. Create one with <code>POST /v1/sequences</code> (see{' '}
            <a href="/docs">the API docs</a>), then publish and activate it.
          </p>
        </Empty>
      )}
      {sequences.status === 'ready' && sequences.data.length > 0 && (
        <table class="table responsive" aria-label="Sequences">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Published</th>
              <th scope="col">Target</th>
              <th scope="col">Steps</th>
              <th scope="col">Enrolls on</th>
            </tr>
          </thead>
          <tbody>
            {sequences.data.map((sequence) => {
              const definition = sequence.published ?? sequence.draft;
              return (
                <tr key={sequence.id}>
                  <td data-label="Name">
                    <a href={href(['sequences', sequence.id])}>{sequence.name}</a>
                  </td>
                  <td data-label="Status">
                    <ActiveBadge active={sequence.active} />
                  </td>
                  <td data-label="Published">
                    {sequence.publishedVersion === null ? (
                      <span class="muted">draft only</span>
                    ) : (
                      `v${sequence.publishedVersion}`
                    )}
                  </td>
                  <td data-label="Target">{definition.targetType}</td>
                  <td data-label="Steps">{definition.steps.length}</td>
                  <td data-label="Enrolls on">{triggerSummary(sequence.published)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
