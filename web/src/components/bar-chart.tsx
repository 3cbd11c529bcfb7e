// Grouped horizontal bars in plain SVG: one group per row (a partner, a campaign), one bar per
// series, the value written at the bar's end. The same numbers are in a table for screen readers.

export type BarSeries = { key: string; label: string; colour: string };
export type BarRow = { key: string; label: string; values: Record<string, number | null> };

const WIDTH = 480;
/** Room for a label of 20 characters at 12 px (about 7 px each), right-aligned to the bars. */
const LABEL = 150;
const VALUE = 90;
const BAR = 16;
const GAP = 12;

export function BarChart({
  title,
  series,
  rows,
  format,
  testId,
}: {
  title: string;
  series: readonly BarSeries[];
  rows: readonly BarRow[];
  format: (value: number) => string;
  testId: string;
}) {
  const max = Math.max(1, ...rows.flatMap((row) => series.map((s) => row.values[s.key] ?? 0)));
  const span = WIDTH - LABEL - VALUE;
  const groupHeight = series.length * BAR + GAP;
  const height = Math.max(groupHeight, rows.length * groupHeight);
  return (
    <figure className="card bar-chart" data-testid={testId}>
      <figcaption className="bar-chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title} className="chart">
        {rows.map((row, i) => {
          const top = i * groupHeight;
          return (
            <g key={row.key} data-row={row.key}>
              <text
                x={LABEL - 8}
                y={top + (series.length * BAR) / 2 + 4}
                textAnchor="end"
                fontSize="12"
                fill="#334155"
              >
                {row.label.length > 20 ? `${row.label.slice(0, 19)}…` : row.label}
              </text>
              {series.map((s, j) => {
                const value = row.values[s.key];
                const width = value === null || value === undefined ? 0 : (Math.max(0, value) / max) * span;
                const y = top + j * BAR;
                return (
                  <g key={s.key}>
                    <rect x={LABEL} y={y} width={width} height={BAR - 2} fill={s.colour} data-series={s.key}>
                      <title>{`${row.label} · ${s.label}: ${value === null || value === undefined ? '—' : format(value)}`}</title>
                    </rect>
                    <text x={LABEL + width + 4} y={y + BAR - 4} fontSize="12" fill="#475569">
                      {value === null || value === undefined ? '—' : format(value)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <p className="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <span className="chart-swatch" style={{ background: s.colour }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </p>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {series.map((s) => {
                const value = row.values[s.key];
                return <td key={s.key}>{value === null || value === undefined ? '—' : format(value)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
