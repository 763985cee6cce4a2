/** The state of an enrollment, or the reason of a decision, as a coloured word (never colour alone). */
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state}`}>{state}</span>;
}

const ENROLLED = new Set(['enrolled', 'enrolled_maestro_unavailable']);

export function ReasonBadge({ reason }: { reason: string }) {
  const kind = ENROLLED.has(reason) ? 'good' : reason === 'pending' ? 'wait' : 'bad';
  return <span class={`badge reason-${kind}`}>{reason.replaceAll('_', ' ')}</span>;
}
