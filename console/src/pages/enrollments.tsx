import { useState } from 'preact/hooks';
import { api, type EnrollmentFilters } from '../api/client';
import { ENROLLMENT_METHODS, ENROLLMENT_STATES } from '../api/types';
import { StateBadge } from '../components/badges';
import { SequenceSelect, useSequenceNames } from '../components/sequence-select';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { href, navigate } from '../router';
import { useResource } from '../use-resource';

const PAGE_SIZE = 25;

const filtersOf = (params: URLSearchParams): EnrollmentFilters => ({
  sequenceId: params.get('sequenceId') ?? '',
  state: params.get('state') ?? '',
  method: params.get('method') ?? '',
  contactId: params.get('contactId') ?? '',
});

function Filters({ applied }: { applied: EnrollmentFilters }) {
  // Remounted (key) when the applied filters change: the draft starts from them, and typing is never reset.
  const [draft, setDraft] = useState(applied);
  const set = (field: keyof EnrollmentFilters) => (value: string) => setDraft({ ...draft, [field]: value });
  return (
    <form
      class="filters"
      aria-label="Filter enrollments"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(['enrollments'], { ...draft, contactId: draft.contactId?.trim() });
      }}
    >
      <SequenceSelect id="filter-sequence" value={draft.sequenceId ?? ''} onChange={set('sequenceId')} any />
      <div class="field">
        <label for="filter-state">State</label>
        <select
          id="filter-state"
          value={draft.state}
          onChange={(event) => set('state')(event.currentTarget.value)}
        >
          <option value="">Any state</option>
          {ENROLLMENT_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-method">Method</label>
        <select
          id="filter-method"
          value={draft.method}
          onChange={(event) => set('method')(event.currentTarget.value)}
        >
          <option value="">Any method</option>
          {ENROLLMENT_METHODS.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-contact">Contact id</label>
        <input
          id="filter-contact"
          type="search"
          value={draft.contactId}
          onInput={(event) => set('contactId')(event.currentTarget.value)}
        />
      </div>
      <div class="filter-actions">
        <button type="submit" class="button">
          Apply filters
        </button>
        <a class="button secondary" href={href(['enrollments'])}>
          Clear
        </a>
      </div>
    </form>
  );
}

/** The enrollments list, newest first, filtered by the URL's params, paged by the API's cursor. */
export function EnrollmentsPage({ params }: { params: URLSearchParams }) {
  const filters = filtersOf(params);
  const filterKey = JSON.stringify(filters);
  // The cursors of the pages read so far: [null (the first), the second's, …]; the last is shown.
  // Kept with the filters they were read under: other filters start again from the first page.
  const [paging, setPaging] = useState<{ filterKey: string; cursors: Array<string | null> }>({
    filterKey,
    cursors: [null],
  });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [null];
  const setCursors = (next: Array<string | null>) => setPaging({ filterKey, cursors: next });
  const cursor = cursors[cursors.length - 1] ?? null;
  const [page, reload] = useResource(() => api.enrollments(filters, cursor, PAGE_SIZE), [filterKey, cursor]);
  const names = useSequenceNames();
  const filtered = Object.values(filters).some((value) => value);

  return (
    <section>
      <div class="page-head">
        <h1>Enrollments</h1>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <Filters key={filterKey} applied={filters} />
      {page.status === 'loading' && <Loading what="enrollments" />}
      {page.status === 'error' && <ErrorNotice error={page.error} retry={reload} />}
      {page.status === 'ready' && page.data.items.length === 0 && (
        <Empty>
          {filtered ? (
            <p>No enrollment matches these filters.</p>
          ) : (
            <p>
              No enrollments yet. <a href={href(['enroll'])}>Enroll a contact</a>.
            </p>
          )}
        </Empty>
      )}
      {page.status === 'ready' && page.data.items.length > 0 && (
        <>
          <table class="table responsive" aria-label="Enrollments">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Sequence</th>
                <th scope="col">State</th>
                <th scope="col">Method</th>
                <th scope="col">Version</th>
                <th scope="col">Next step due</th>
                <th scope="col">Enrolled</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((enrollment) => (
                <tr key={enrollment.id}>
                  <td data-label="Contact">
                    <a href={href(['enrollments', enrollment.id])}>{enrollment.contactId}</a>
                    {enrollment.targetType !== 'contact' && (
                      <span class="muted small">
                        {' '}
                        {enrollment.targetType} {enrollment.targetId}
                      </span>
                    )}
                  </td>
                  <td data-label="Sequence">{names.get(enrollment.sequenceId) ?? enrollment.sequenceId}</td>
                  <td data-label="State">
                    <StateBadge state={enrollment.state} />
                  </td>
                  <td data-label="Method">{enrollment.method}</td>
                  <td data-label="Version">v{enrollment.sequenceVersion}</td>
                  <td data-label="Next step due">
                    <Time at={enrollment.nextStepDueAt} />
                  </td>
                  <td data-label="Enrolled">
                    <Time at={enrollment.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="Pages" cursors={cursors} nextCursor={page.data.nextCursor} onChange={setCursors} />
        </>
      )}
    </section>
  );
}
