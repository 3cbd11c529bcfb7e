import { useApi } from '../auth/auth-context.tsx';
import { latestData, useResource } from '../use-resource.ts';

const SERIES = [
  { key: 'sent', label: 'Sent', colour: '#4f46e5' },
  { key: 'delivered', label: 'Delivered', colour: '#0f766e' },
  { key: 'uniqueOpened', label: 'Unique opens', colour: '#b45309' },
  { key: 'uniqueClicked', label: 'Unique clicks', colour: '#be185d' },
] as const;

const WIDTH = 640;
const HEIGHT = 180;

/**
 * The campaign's counters hour by hour (UTC) as grouped bars, with the same numbers in a
 * table for screen readers. Re-fetched whenever the page's poll ticks.
 */
export function HourlyChart({ campaignId, refreshKey }: { campaignId: string; refreshKey: number }) {
  const client = useApi();
  const series = useResource(`series:${campaignId}:${refreshKey}`, async (signal) => {
    const response = await client.api.campaigns[':campaignId'].series.$get(
      { param: { campaignId } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(series);
  if (!data || data.hours.length === 0) return null;
  const hours = data.hours.slice(-24);
  const max = Math.max(1, ...hours.flatMap((h) => SERIES.map((s) => h.counters[s.key] ?? 0)));
  const slot = WIDTH / hours.length;
  const bar = Math.min(28, Math.max(2, (slot - 8) / SERIES.length));
  const inset = (slot - bar * SERIES.length) / 2;
  return (
    <section className="card" aria-labelledby="hourly-title" data-testid="campaign-chart">
      <h2 id="hourly-title">Hour by hour (UTC)</h2>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        role="img"
        aria-label="Sends, deliveries, opens and clicks per hour"
        className="chart"
      >
        {hours.map((h, i) =>
          SERIES.map((s, j) => {
            const value = h.counters[s.key] ?? 0;
            const height = (value / max) * HEIGHT;
            return (
              <rect
                key={`${h.hour}-${s.key}`}
                x={i * slot + inset + j * bar}
                y={HEIGHT - height}
                width={bar - 1}
                height={height}
                fill={s.colour}
              >
                <title>{`${h.hour}:00 ${s.label}: ${value}`}</title>
              </rect>
            );
          }),
        )}
        {hours.map((h, i) => (
          <text
            key={h.hour}
            x={i * slot + slot / 2}
            y={HEIGHT + 15}
            textAnchor="middle"
            fontSize="10"
            fill="#4b5563"
          >
            {h.hour.slice(11)}h
          </text>
        ))}
      </svg>
      <p className="chart-legend">
        {SERIES.map((s) => (
          <span key={s.key}>
            <span className="chart-swatch" style={{ background: s.colour }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </p>
      <table className="visually-hidden">
        <caption>Counters per hour</caption>
        <thead>
          <tr>
            <th scope="col">Hour (UTC)</th>
            {SERIES.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hours.map((h) => (
            <tr key={h.hour}>
              <th scope="row">{h.hour}</th>
              {SERIES.map((s) => (
                <td key={s.key}>{h.counters[s.key] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
