import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Decision, EventWhy, InactivityWhy, RequestAnswer } from '../api/types';
import { ReasonBadge } from '../components/badges';
import { KeyValues } from '../components/key-values';
import { SequenceSelect, useSequenceNames } from '../components/sequence-select';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { Time } from '../components/time';
import { href, navigate } from '../router';
import { useResource } from '../use-resource';

type Lookup =
  | { by: 'request'; requestId: string }
  | { by: 'contact'; contactId: string; sequenceId: string }
  | { by: 'event'; eventId: string }
  | { by: 'conversation'; conversationId: string };

function lookupOf(params: URLSearchParams): Lookup | null {
  const requestId = params.get('requestId');
  const contactId = params.get('contactId');
  const sequenceId = params.get('sequenceId');
  const eventId = params.get('eventId');
  const conversationId = params.get('conversationId');
  if (requestId) return { by: 'request', requestId };
  if (contactId && sequenceId) return { by: 'contact', contactId, sequenceId };
  if (eventId) return { by: 'event', eventId };
  if (conversationId) return { by: 'conversation', conversationId };
  return null;
}

function DecisionCard({ decision }: { decision: Decision }) {
  const names = useSequenceNames();
  const enrollment = decision.enrollmentId ?? (decision.reason === 'duplicate' ? decision.relatedId : null);
  return (
    <article class="card decision" aria-label={`Decision ${decision.requestId}`}>
      <p class="decision-head">
        <ReasonBadge reason={decision.reason} /> <span class="explanation">{decision.explanation}</span>
      </p>
      {decision.detail && <p class="muted">{decision.detail}</p>}
      <dl class="facts">
        <dt>Contact</dt>
        <dd>{decision.contactId}</dd>
        <dt>Sequence</dt>
        <dd>
          {decision.sequenceId ? (
            <a href={href(['sequences', decision.sequenceId])}>
              {names.get(decision.sequenceId) ?? decision.sequenceId}
            </a>
          ) : (
            '—'
          )}
        </dd>
        <dt>Method</dt>
        <dd>{decision.method ?? '—'}</dd>
        <dt>Decided</dt>
        <dd>
          <Time at={decision.decidedAt} />
        </dd>
        <dt>Request</dt>
        <dd>
          <code>{decision.requestId}</code>
        </dd>
        {enrollment && (
          <>
            <dt>{decision.enrollmentId ? 'Enrollment' : 'Live enrollment'}</dt>
            <dd>
              <a href={href(['enrollments', enrollment])}>
                <code>{enrollment}</code>
              </a>
            </dd>
          </>
        )}
      </dl>
      <KeyValues values={decision.provenance} />
    </article>
  );
}

function AnswerView({ answer }: { answer: RequestAnswer }) {
  switch (answer.status) {
    case undefined:
      return <DecisionCard decision={answer} />;
    case 'pending':
      return (
        <p class="notice" role="status">
          Request <code>{answer.requestId}</code> ({answer.kind}) is accepted and not decided yet:{' '}
          {answer.note}
        </p>
      );
    case 'applied':
      return (
        <p class="notice" role="status">
          The {answer.kind} was applied to{' '}
          <a href={href(['enrollments', answer.enrollmentId])}>the enrollment</a>: {answer.change.fromState} →{' '}
          {answer.change.toState} ({answer.change.cause}).
        </p>
      );
    case 'unchanged':
      return (
        <p class="notice" role="status">
          The {answer.kind} changed nothing on{' '}
          <a href={href(['enrollments', answer.enrollmentId])}>the enrollment</a>: {answer.why}
        </p>
      );
  }
}

function EventView({ why }: { why: EventWhy }) {
  return (
    <div class="card">
      <h2>
        Event <code>{why.eventId}</code>
      </h2>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{why.eventType ?? '—'}</dd>
        <dt>Contact</dt>
        <dd>{why.contactId ?? '—'}</dd>
        <dt>Received</dt>
        <dd>
          <Time at={why.receivedAt} />
        </dd>
        {why.implied && (
          <>
            <dt>Implied</dt>
            <dd>{why.implied}</dd>
          </>
        )}
        {why.refused && (
          <>
            <dt>Refused</dt>
            <dd>{why.refused}</dd>
          </>
        )}
      </dl>
      {why.sequences.length === 0 ? (
        <p class="muted">The account has no sequence.</p>
      ) : (
        <ul class="conclusions">
          {why.sequences.map((s) => (
            <li key={s.sequenceId}>
              <strong>{s.name ?? s.sequenceId}</strong> <ReasonBadge reason={s.conclusion} /> {s.explanation}
              {s.heard && (s.enrollmentId ?? s.relatedId) && (
                <>
                  {' '}
                  <a href={href(['enrollments', s.enrollmentId ?? s.relatedId ?? ''])}>enrollment</a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function InactivityView({ why }: { why: InactivityWhy }) {
  return (
    <div class="card">
      <h2>
        Conversation <code>{why.conversationId}</code>
      </h2>
      {why.tracked ? (
        <p>
          Contact {why.tracked.contactId}, status <strong>{why.tracked.status}</strong>, last activity{' '}
          <Time at={why.tracked.lastActivityAt} />.
        </p>
      ) : (
        <p class="muted">This conversation is not tracked (no activity read for it).</p>
      )}
      {why.sequences.length === 0 ? (
        <p class="muted">No sequence of the account has an inactivity rule.</p>
      ) : (
        <ul class="conclusions">
          {why.sequences.map((s) => (
            <li key={`${s.sequenceId}:${s.method}`}>
              <strong>{s.name}</strong> ({s.method}, {s.limitMinutes} min idle in {s.statuses.join('/')}){' '}
              <ReasonBadge reason={s.conclusion} /> {s.explanation}
              {s.crossingAt && (
                <span class="muted">
                  {' '}
                  · crosses the limit <Time at={s.crossingAt} />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Result({ lookup }: { lookup: Lookup }) {
  const [result, reload] = useResource(async () => {
    switch (lookup.by) {
      case 'request':
        return { by: lookup.by, answer: await api.answer(lookup.requestId) } as const;
      case 'contact':
        return {
          by: lookup.by,
          decisions: await api.decisionsFor(lookup.contactId, lookup.sequenceId),
        } as const;
      case 'event':
        return { by: lookup.by, why: await api.eventWhy(lookup.eventId) } as const;
      case 'conversation':
        return { by: lookup.by, why: await api.inactivityWhy(lookup.conversationId) } as const;
    }
  }, [JSON.stringify(lookup)]);
  if (result.status === 'loading') return <Loading what="the answer" />;
  if (result.status === 'error') return <ErrorNotice error={result.error} retry={reload} />;
  const data = result.data;
  switch (data.by) {
    case 'request':
      return <AnswerView answer={data.answer} />;
    case 'contact':
      return data.decisions.length === 0 ? (
        <Empty>
          <p>No decision for this contact in this sequence: no request for it reached the engine.</p>
        </Empty>
      ) : (
        <div class="stack">
          <p class="muted">
            {data.decisions.length} decision{data.decisions.length === 1 ? '' : 's'}, newest first.
          </p>
          {data.decisions.map((decision) => (
            <DecisionCard key={decision.requestId} decision={decision} />
          ))}
        </div>
      );
    case 'event':
      return <EventView why={data.why} />;
    case 'conversation':
      return <InactivityView why={data.why} />;
  }
}

function TextLookup({
  id,
  title,
  label,
  param,
  initial,
}: {
  id: string;
  title: string;
  label: string;
  param: string;
  initial: string;
}) {
  const [value, setValue] = useState(initial);
  return (
    <form
      class="card lookup"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        navigate(['why'], { [param]: value.trim() });
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div class="field">
        <label for={id}>{label}</label>
        <input id={id} required value={value} onInput={(event) => setValue(event.currentTarget.value)} />
      </div>
      <button type="submit" class="button secondary">
        Look up
      </button>
    </form>
  );
}

/** "Why was (or wasn't) this contact enrolled?": by request, by contact and sequence, by event, by conversation. */
export function WhyPage({ params }: { params: URLSearchParams }) {
  const lookup = lookupOf(params);
  const [contactId, setContactId] = useState(params.get('contactId') ?? '');
  const [sequenceId, setSequenceId] = useState(params.get('sequenceId') ?? '');
  return (
    <section>
      <h1>Why</h1>
      <div class="grid lookups">
        <TextLookup
          id="why-request"
          title="By request"
          label="Request id"
          param="requestId"
          initial={params.get('requestId') ?? ''}
        />
        <form
          class="card lookup"
          aria-labelledby="why-contact-title"
          onSubmit={(event) => {
            event.preventDefault();
            navigate(['why'], { contactId: contactId.trim(), sequenceId });
          }}
        >
          <h2 id="why-contact-title">By contact and sequence</h2>
          <div class="field">
            <label for="why-contact">Contact id</label>
            <input
              id="why-contact"
              required
              value={contactId}
              onInput={(event) => setContactId(event.currentTarget.value)}
            />
          </div>
          <SequenceSelect id="why-sequence" value={sequenceId} onChange={setSequenceId} required />
          <button type="submit" class="button secondary">
            Look up
          </button>
        </form>
        <TextLookup
          id="why-event"
          title="By event"
          label="Event id"
          param="eventId"
          initial={params.get('eventId') ?? ''}
        />
        <TextLookup
          id="why-conversation"
          title="By conversation"
          label="Conversation id"
          param="conversationId"
          initial={params.get('conversationId') ?? ''}
        />
      </div>
      <div class="why-result" aria-live="polite">
        {lookup ? (
          <Result lookup={lookup} />
        ) : (
          <Empty>
            <p>
              Choose what to look up: a request id (from an API answer), a contact and a sequence, an event,
              or a conversation.
            </p>
          </Empty>
        )}
      </div>
    </section>
  );
}
