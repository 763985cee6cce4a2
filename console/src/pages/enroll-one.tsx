import { useState } from 'preact/hooks';
import { useSignedIn } from '../account-context';
import { settledAnswer } from '../api/answers';
import { api, type ApiError } from '../api/client';
import { TARGET_TYPES, type RequestAnswer } from '../api/types';
import { ReasonBadge } from '../components/badges';
import { SequenceSelect } from '../components/sequence-select';
import { ErrorNotice } from '../components/states';
import { href } from '../router';
import { asApiError } from '../use-resource';

function Answer({ answer }: { answer: RequestAnswer }) {
  if (answer.status === 'pending')
    return (
      <p class="notice" role="status">
        Accepted; not decided yet.{' '}
        <a href={href(['why'], { requestId: answer.requestId })}>Follow its decision</a>.
      </p>
    );
  if (answer.status !== undefined) return null;
  const enrollment = answer.enrollmentId ?? answer.relatedId;
  return (
    <div class="notice" role="status">
      <p>
        <ReasonBadge reason={answer.reason} /> {answer.explanation}
      </p>
      <p>
        {enrollment && (
          <a href={href(['enrollments', enrollment])}>
            {answer.enrollmentId ? 'Open the enrollment' : 'Open the live enrollment'}
          </a>
        )}{' '}
        · <a href={href(['why'], { requestId: answer.requestId })}>Why</a>
      </p>
    </div>
  );
}

/** Enroll one contact by hand (method manual), then show its decision once the enrollment app made it. */
export function EnrollOne({ initialSequence }: { initialSequence: string }) {
  const { userId } = useSignedIn();
  const [sequenceId, setSequenceId] = useState(initialSequence);
  const [contactId, setContactId] = useState('');
  const [targetType, setTargetType] = useState('contact');
  const [targetId, setTargetId] = useState('');
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<RequestAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setAnswer(null);
    setError(null);
    try {
      const accepted = await api.enrollOne({
        sequenceId,
        contactId: contactId.trim(),
        userId,
        ...(targetType !== 'contact' ? { target: { type: targetType, id: targetId.trim() } } : {}),
      });
      setAnswer(await settledAnswer(accepted.requestId));
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <form class="card" aria-labelledby="enroll-one-title" onSubmit={(event) => void submit(event)}>
      <h2 id="enroll-one-title">One contact</h2>
      <SequenceSelect id="one-sequence" value={sequenceId} onChange={setSequenceId} required />
      <div class="field">
        <label for="one-contact">Contact id</label>
        <input
          id="one-contact"
          required
          maxLength={200}
          value={contactId}
          onInput={(event) => setContactId(event.currentTarget.value)}
        />
      </div>
      <div class="field-row">
        <div class="field">
          <label for="one-target-type">Target</label>
          <select
            id="one-target-type"
            value={targetType}
            onChange={(event) => setTargetType(event.currentTarget.value)}
          >
            {TARGET_TYPES.map((type) => (
              <option key={type} value={type}>
                {type === 'contact' ? 'the contact itself' : type}
              </option>
            ))}
          </select>
        </div>
        {targetType !== 'contact' && (
          <div class="field">
            <label for="one-target-id">{targetType} id</label>
            <input
              id="one-target-id"
              required
              value={targetId}
              onInput={(event) => setTargetId(event.currentTarget.value)}
            />
          </div>
        )}
      </div>
      <button type="submit" class="button" disabled={sending}>
        {sending ? 'Enrolling…' : 'Enroll'}
      </button>
      {error && <ErrorNotice error={error} />}
      {answer && <Answer answer={answer} />}
    </form>
  );
}
