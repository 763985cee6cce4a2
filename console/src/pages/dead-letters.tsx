import { useState } from 'preact/hooks';
import { api, type ApiError } from '../api/client';
import type { ReplayResult } from '../api/types';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { Time } from '../components/time';
import { href } from '../router';
import { asApiError, useResource } from '../use-resource';

const number = new Intl.NumberFormat();

function Replay({ topic, onReplayed }: { topic: string; onReplayed: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const replay = async () => {
    setBusy(true);
    setConfirming(false);
    setError(null);
    try {
      setResult(await api.replayDeadLetters(topic));
      onReplayed();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      {confirming ? (
        <div class="button-row">
          <span>Send each letter of {topic} back to its original topic, once?</span>
          <button type="button" class="button danger" disabled={busy} onClick={() => void replay()}>
            Confirm replay
          </button>
          <button type="button" class="button secondary" onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </div>
      ) : (
        <button type="button" class="button" disabled={busy} onClick={() => setConfirming(true)}>
          {busy ? 'Replaying…' : 'Replay'}
        </button>
      )}
      {result && (
        <p class="notice" role="status">
          Replayed{' '}
          {Object.entries(result.replayed)
            .map(([to, count]) => `${number.format(count)} to ${to}`)
            .join(', ') || 'nothing'}
          ; {number.format(result.skipped)} skipped.
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

function PartialRead() {
  return (
    <p class="notice" role="status">
      The read timed out before the end of every partition: these are the letters read so far.
    </p>
  );
}

function Letters({ topic, onReplayed }: { topic: string; onReplayed: () => void }) {
  const [letters, reload] = useResource(() => api.deadLetters(topic), [topic]);
  return (
    <div class="card">
      <div class="page-head">
        <h2>
          Latest letters of <code>{topic}</code>
        </h2>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <Replay
        topic={topic}
        onReplayed={() => {
          reload();
          onReplayed();
        }}
      />
      {letters.status === 'loading' && <Loading what="the letters" />}
      {letters.status === 'error' && <ErrorNotice error={letters.error} retry={reload} />}
      {letters.status === 'ready' && !letters.data.complete && <PartialRead />}
      {letters.status === 'ready' && letters.data.items.length === 0 && (
        <Empty>
          <p>No letter of this account on this topic.</p>
        </Empty>
      )}
      {letters.status === 'ready' && letters.data.items.length > 0 && (
        <ul class="letters">
          {letters.data.items.map((letter) => (
            <li key={`${letter.partition}:${letter.offset}`} class="letter">
              <p>
                <span class="badge reason-bad">{letter.reason ?? 'no reason given'}</span>{' '}
                {letter.replayed && <span class="badge state-completed">replayed</span>}{' '}
                {letter.detail ?? <span class="muted">no detail</span>}
              </p>
              <p class="muted small">
                <Time at={letter.at} /> · from <code>{letter.originalTopic ?? 'an unknown topic'}</code> ·
                partition {letter.partition}, offset {letter.offset}
                {letter.key ? (
                  <>
                    {' '}
                    · key <code>{letter.key}</code>
                  </>
                ) : null}
              </p>
              <details>
                <summary>Value</summary>
                <pre class="preview">{letter.valuePreview ?? '(no value)'}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the consumers dead-lettered for this account: per topic, the latest letters, and replay. */
export function DeadLettersPage({ params }: { params: URLSearchParams }) {
  const [topics, reload] = useResource(() => api.deadLetterTopics(), []);
  const chosen = params.get('topic');
  return (
    <section>
      <div class="page-head">
        <h1>Dead letters</h1>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {topics.status === 'loading' && <Loading what="the dead-letter topics" />}
      {topics.status === 'error' && <ErrorNotice error={topics.error} retry={reload} />}
      {topics.status === 'ready' && !topics.data.complete && <PartialRead />}
      {topics.status === 'ready' && topics.data.topics.length === 0 && (
        <Empty>
          <p>No dead-letter topic exists yet.</p>
        </Empty>
      )}
      {topics.status === 'ready' && topics.data.topics.length > 0 && (
        <table class="table responsive" aria-label="Dead-letter topics">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Letters</th>
              <th scope="col">Not replayed</th>
            </tr>
          </thead>
          <tbody>
            {topics.data.topics.map(({ topic, count, pending }) => (
              <tr key={topic} class={topic === chosen ? 'selected' : undefined}>
                <td data-label="Topic">
                  <a
                    href={href(['dead-letters'], { topic })}
                    aria-current={topic === chosen ? 'true' : undefined}
                  >
                    {topic}
                  </a>
                </td>
                <td data-label="Letters">
                  {count > 0 ? number.format(count) : <span class="muted">0</span>}
                </td>
                <td data-label="Not replayed">
                  {pending > 0 ? <strong>{number.format(pending)}</strong> : <span class="muted">0</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && <Letters topic={chosen} onReplayed={reload} />}
    </section>
  );
}
