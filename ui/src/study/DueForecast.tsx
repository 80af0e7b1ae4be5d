/** Reviews falling due over the next seven days, as a row of small bars (today first). */
export function DueForecast({ days }: { days: number[] }) {
  if (days.length === 0) return null;
  const max = Math.max(1, ...days);
  const label = (i: number) => (i === 0 ? 'Today' : i === 1 ? 'Tomorrow' : `In ${i} days`);
  return (
    <span className="due-forecast" data-testid="study-forecast" title="Reviews due over the next 7 days">
      {days.map((n, i) => (
        <span key={i} className="due-forecast-day" title={`${label(i)}: ${n} due`}>
          <span className="due-forecast-bar" style={{ height: `${Math.round((n / max) * 100)}%` }} />
        </span>
      ))}
      <span className="muted due-forecast-label">next 7 days</span>
    </span>
  );
}
