import { api } from '../api/client';
import type { Sequence } from '../api/types';
import { useResource } from '../use-resource';

/** The account's sequences as a labelled select; `any` adds an "all sequences" choice. */
export function SequenceSelect({
  id,
  value,
  onChange,
  any = false,
  required = false,
  label = 'Sequence',
}: {
  id: string;
  value: string;
  onChange: (id: string) => void;
  any?: boolean;
  required?: boolean;
  label?: string;
}) {
  const [sequences] = useResource(() => api.sequences(), []);
  const items: Sequence[] = sequences.status === 'ready' ? sequences.data : [];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        required={required}
        disabled={sequences.status === 'loading'}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {any ? <option value="">All sequences</option> : <option value="">Choose a sequence…</option>}
        {items.map((sequence) => (
          <option key={sequence.id} value={sequence.id}>
            {sequence.name}
            {sequence.publishedVersion === null ? ' (not published)' : ` (v${sequence.publishedVersion})`}
            {sequence.active ? '' : ' — inactive'}
          </option>
        ))}
      </select>
      {sequences.status === 'error' && <p class="field-error">Sequences: {sequences.error.message}</p>}
    </div>
  );
}

/** Names of the account's sequences by id, for lists that show sequence ids. */
export function useSequenceNames(): Map<string, string> {
  const [sequences] = useResource(() => api.sequences(), []);
  return new Map(sequences.status === 'ready' ? sequences.data.map((s) => [s.id, s.name]) : []);
}
