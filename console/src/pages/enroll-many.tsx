import { useEffect, useMemo, useState } from 'preact/hooks';
import { useSignedIn } from '../account-context';
import { api, type ApiError } from '../api/client';
import type { BulkProgress, Decision } from '../api/types';
import { ReasonBadge } from '../components/badges';
import { SequenceSelect } from '../components/sequence-select';
import { ErrorNotice } from '../components/states';
import { MAX_BULK_CONTACTS, parseContactIds, type ParsedContacts } from '../csv';
import { asApiError } from '../use-resource';

const number = new Intl.NumberFormat();
const SHOWN_PER_REASON = 50;

/** Polls a bulk call's progress until every contact is decided; then reads the results once. */
function useBulkProgress(bulkId: string | null) {
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!bulkId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const read = await api.bulk(bulkId);
        if (stopped) return;
        if (read.done) {
          setProgress(await api.bulk(bulkId, true));
          return;
        }
        setProgress(read);
        timer = setTimeout(() => void poll(), 400);
      } catch (failure) {
        if (!stopped) setError(asApiError(failure));
      }
    };
    setProgress(null);
    setError(null);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [bulkId]);
  return { progress, error };
}

function ResultsByReason({ progress }: { progress: BulkProgress }) {
  const byReason = new Map<string, Decision[]>();
  for (const decision of progress.results ?? [])
    byReason.set(decision.reason, [...(byReason.get(decision.reason) ?? []), decision]);
  const reasons = Object.entries(progress.byReason).sort(([, a], [, b]) => b - a);
  return (
    <ul class="reasons" aria-label="Results by reason">
      {reasons.map(([reason, count]) => {
        const decisions = byReason.get(reason) ?? [];
        return (
          <li key={reason}>
            <details>
              <summary>
                <ReasonBadge reason={reason} /> <strong>{number.format(count)}</strong>
                {decisions[0] && <span class="muted"> — {decisions[0].explanation}</span>}
              </summary>
              {decisions.length > 0 ? (
                <p class="contact-list">
                  {decisions
                    .slice(0, SHOWN_PER_REASON)
                    .map((d) => d.contactId)
                    .join(', ')}
                  {decisions.length > SHOWN_PER_REASON &&
                    ` and ${number.format(decisions.length - SHOWN_PER_REASON)} more`}
                </p>
              ) : (
                <p class="muted">The contacts are listed once every decision is in.</p>
              )}
            </details>
          </li>
        );
      })}
    </ul>
  );
}

function Progress({ progress }: { progress: BulkProgress }) {
  const percent = progress.total === 0 ? 100 : Math.floor((progress.decided / progress.total) * 100);
  return (
    <div class="bulk-progress">
      <label for="bulk-progress-bar">
        {progress.done ? 'Done' : 'Deciding'}: {number.format(progress.decided)} of{' '}
        {number.format(progress.total)} decided
      </label>
      <div class="progress-line">
        <progress id="bulk-progress-bar" max={progress.total} value={progress.decided}>
          {percent}%
        </progress>
        <output class="progress-percent" for="bulk-progress-bar" aria-live="polite">
          {percent}%
        </output>
      </div>
      <ResultsByReason progress={progress} />
    </div>
  );
}

/**
 * Enroll many contacts at once (method bulk): ids pasted or read from a CSV file (one per line, or the
 * contactId column), at most the API's bulk limit; a live progress bar, then the decisions grouped by reason.
 */
export function EnrollMany({ initialSequence }: { initialSequence: string }) {
  const { userId } = useSignedIn();
  const [sequenceId, setSequenceId] = useState(initialSequence);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [bulkId, setBulkId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const parsed: ParsedContacts = useMemo(() => parseContactIds(text), [text]);
  const count = parsed.contactIds.length;
  const tooMany = count > MAX_BULK_CONTACTS;
  const { progress, error: progressError } = useBulkProgress(bulkId);

  const readFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (count === 0 || tooMany) return;
    setSending(true);
    setError(null);
    setBulkId(null);
    try {
      const accepted = await api.enrollMany({
        sequenceId,
        userId,
        contacts: parsed.contactIds.map((contactId) => ({ contactId })),
      });
      setBulkId(accepted.bulkId);
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <form class="card" aria-labelledby="enroll-many-title" onSubmit={(event) => void submit(event)}>
      <h2 id="enroll-many-title">Many contacts</h2>
      <SequenceSelect id="many-sequence" value={sequenceId} onChange={setSequenceId} required />
      <div class="field">
        <label for="many-file">CSV file of contact ids</label>
        <input
          id="many-file"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={(event) => void readFile(event.currentTarget)}
        />
        <p class="hint">One id per line, or a header row with a contactId column.</p>
      </div>
      <div class="field">
        <label for="many-ids">Or paste contact ids</label>
        <textarea
          id="many-ids"
          rows={6}
          spellcheck={false}
          value={text}
          onInput={(event) => {
            setFileName(null);
            setText(event.currentTarget.value);
          }}
        />
      </div>
      <p class="hint" aria-live="polite" id="many-summary">
        {number.format(count)} contact id{count === 1 ? '' : 's'}
        {fileName ? ` from ${fileName}` : ''}
        {parsed.header ? ` (column "${parsed.header}")` : ''}
        {parsed.duplicates > 0 ? `, ${number.format(parsed.duplicates)} duplicates dropped` : ''}
        {parsed.invalid.length > 0
          ? `, ${parsed.invalid.length} lines skipped (line ${parsed.invalid
              .slice(0, 3)
              .map((i) => `${i.line}: ${i.reason}`)
              .join('; ')})`
          : ''}
        {tooMany ? ` — at most ${number.format(MAX_BULK_CONTACTS)} per call` : ''}
      </p>
      <button type="submit" class="button" disabled={sending || count === 0 || tooMany}>
        {sending ? 'Sending…' : `Enroll ${number.format(count)} contact${count === 1 ? '' : 's'}`}
      </button>
      {error && <ErrorNotice error={error} />}
      {progressError && <ErrorNotice error={progressError} />}
      {bulkId && !progress && !progressError && (
        <p class="state" role="status">
          Accepted; reading the progress…
        </p>
      )}
      {progress && <Progress progress={progress} />}
    </form>
  );
}
