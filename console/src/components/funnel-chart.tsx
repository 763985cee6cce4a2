import type { Funnel } from '../api/types';

const number = new Intl.NumberFormat();
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const ROW = 44;
const LABEL = 150;
const WIDTH = 720;
const BAR = WIDTH - LABEL - 90;

/**
 * The funnel of one version, one row per step: how many reached it (light bar) and how many got it sent
 * (dark bar), exits at that step after. Hand-drawn SVG; the same numbers are in the table below it.
 */
export function FunnelChart({ funnel }: { funnel: Funnel }) {
  const max = Math.max(1, funnel.entered, ...funnel.steps.map((s) => s.entered));
  const height = funnel.steps.length * ROW + 30;
  const scale = (count: number) => Math.max(count > 0 ? 2 : 0, (count / max) * BAR);
  return (
    <figure class="funnel">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby="funnel-title"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id="funnel-title">
          Funnel of version {funnel.version}: {funnel.entered} entered,{' '}
          {funnel.steps.map((s) => `step ${s.index + 1} ${s.sent} sent`).join(', ')}
        </title>
        <g class="funnel-legend" transform="translate(0 12)">
          <rect class="bar-entered" x={LABEL} y={-9} width={12} height={12} rx={2} />
          <text x={LABEL + 18} y={1}>
            reached the step
          </text>
          <rect class="bar-sent" x={LABEL + 140} y={-9} width={12} height={12} rx={2} />
          <text x={LABEL + 158} y={1}>
            sent
          </text>
        </g>
        {funnel.steps.map((step, row) => {
          const y = 30 + row * ROW;
          return (
            <g key={step.index} class="funnel-row">
              <text class="funnel-label" x={0} y={y + 17}>
                {`${step.index + 1}. ${step.name ?? step.channel}`}
              </text>
              <rect class="bar-entered" x={LABEL} y={y + 2} width={scale(step.entered)} height={24} rx={3} />
              <rect class="bar-sent" x={LABEL} y={y + 8} width={scale(step.sent)} height={12} rx={2} />
              <text class="funnel-count" x={LABEL + scale(step.entered) + 8} y={y + 19}>
                {`${number.format(step.sent)} / ${number.format(step.entered)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="visually-hidden">
        The funnel's numbers per step are in the table that follows.
      </figcaption>
      <div class="table-scroll">
        <table class="table compact" aria-label="Funnel per step">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Channel</th>
              <th scope="col">Reached</th>
              <th scope="col">Sent</th>
              <th scope="col">Paused here</th>
              <th scope="col">Exited here</th>
              <th scope="col">Completed after</th>
            </tr>
          </thead>
          <tbody>
            {funnel.steps.map((step) => (
              <tr key={step.index}>
                <td>{step.index + 1}</td>
                <td>{step.channel}</td>
                <td>{number.format(step.entered)}</td>
                <td>{number.format(step.sent)}</td>
                <td>{number.format(step.pausedHere)}</td>
                <td title={JSON.stringify(step.exited)}>{number.format(sum(step.exited))}</td>
                <td>{number.format(step.completedAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export function FunnelTotals({ funnel }: { funnel: Funnel }) {
  const tiles: Array<[string, number]> = [
    ['Entered', funnel.entered],
    ['Active', funnel.active],
    ['Paused', funnel.paused],
    ['Completed', funnel.completed],
    ['Exited', sum(funnel.exited)],
    ['Cancelled', funnel.cancelled],
  ];
  return (
    <dl class="tiles">
      {tiles.map(([label, value]) => (
        <div key={label} class="tile">
          <dt>{label}</dt>
          <dd>{number.format(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
