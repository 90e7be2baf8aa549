import { useCallback, useId, useState } from 'react';
import { LoadState } from '../ui/LoadState.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { weekLabel } from './chart.ts';
import { ColumnChart, TalkTimeBars } from './Charts.tsx';
import { useInsightsController } from './insightsController.ts';

const PERIODS = [4, 12, 26] as const;

/**
 * Settings → Insights (owners and admins): meetings held and hours people spent in them per week,
 * and who did the talking, over the last weeks.
 */
export function OrganisationInsights() {
  const insights = useInsightsController();
  const [weeks, setWeeks] = useState<(typeof PERIODS)[number]>(12);
  const load = useCallback(() => insights.organisation(weeks), [insights, weeks]);
  const [loaded, reload] = useLoad(load);
  const id = useId();
  const total = (key: 'meetings' | 'hours') =>
    loaded.status === 'ready' ? loaded.value.weeks.reduce((n, w) => n + w[key], 0) : 0;
  return (
    <section className="card insights" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Meeting insights</h2>
      <div className="field">
        <label htmlFor={`${id}-period`}>Period</label>
        <select
          id={`${id}-period`}
          value={weeks}
          onChange={(e) => setWeeks(PERIODS.find((p) => String(p) === e.target.value) ?? 12)}
        >
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              Last {p} weeks
            </option>
          ))}
        </select>
      </div>
      <LoadState loaded={loaded} what="the insights" onRetry={() => void reload()} />
      {loaded.status !== 'ready' ? null : (
        <>
          <ColumnChart
            title="Meetings per week"
            summary={`${total('meetings')} meetings held in the last ${weeks} weeks, by week.`}
            labelHeading="Week of"
            unit="Meetings"
            columns={loaded.value.weeks.map((w) => ({ label: weekLabel(w.weekStart), value: w.meetings }))}
          />
          <ColumnChart
            title="Hours in meetings per week"
            summary={`${Math.round(total('hours') * 10) / 10} hours spent in meetings in the last ${weeks} weeks, by week.`}
            labelHeading="Week of"
            unit="Hours"
            columns={loaded.value.weeks.map((w) => ({ label: weekLabel(w.weekStart), value: w.hours }))}
          />
          <TalkTimeBars title="Talk-time balance" talkTime={loaded.value.talkTime} />
        </>
      )}
    </section>
  );
}
