/**
 * Newer / older buttons over a list paged by the API's cursor. `cursors` holds the cursor of every page read so
 * far (null for the first); the last one is the page shown.
 */
export function Pager({
  label,
  cursors,
  nextCursor,
  onChange,
}: {
  label: string;
  cursors: Array<string | null>;
  nextCursor: string | null;
  onChange: (cursors: Array<string | null>) => void;
}) {
  return (
    <nav class="pager" aria-label={label}>
      <button
        type="button"
        class="button secondary"
        disabled={cursors.length === 1}
        onClick={() => onChange(cursors.slice(0, -1))}
      >
        ← Newer
      </button>
      <span class="muted">Page {cursors.length}</span>
      <button
        type="button"
        class="button secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && onChange([...cursors, nextCursor])}
      >
        Older →
      </button>
    </nav>
  );
}
