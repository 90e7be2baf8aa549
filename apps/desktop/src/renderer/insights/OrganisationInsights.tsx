import { useCallback, useId, useState } from 'react';
import { LoadState } from '../ui/LoadState.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { weekLabel } from './chart.ts';
import { ColumnChart, TalkTimeBars } from './Charts.tsx';
import { useInsightsController } from './insightsController.ts';
import { useT } from '../i18n/useT.ts';
import { useIntl } from 'react-intl';

const PERIODS = [4, 12, 26] as const;

/**
 * Settings → Insights (owners and admins): meetings held and hours people spent in them per week,
 * and who did the talking, over the last weeks.
 */
export function OrganisationInsights() {
  const t = useT();
  const intl = useIntl();
  const insights = useInsightsController();
  const [weeks, setWeeks] = useState<(typeof PERIODS)[number]>(12);
  const load = useCallback(() => insights.organisation(weeks), [insights, weeks]);
  const [loaded, reload] = useLoad(load);
  const id = useId();
  const total = (key: 'meetings' | 'hours') =>
    loaded.status === 'ready' ? loaded.value.weeks.reduce((n, w) => n + w[key], 0) : 0;
  return (
    <section className="card insights" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('insights.title')}</h2>
      <div className="field">
        <label htmlFor={`${id}-period`}>{t('insights.period')}</label>
        <select
          id={`${id}-period`}
          value={weeks}
          onChange={(e) => setWeeks(PERIODS.find((p) => String(p) === e.target.value) ?? 12)}
        >
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t('insights.lastWeeks', { weeks: p })}
            </option>
          ))}
        </select>
      </div>
      <LoadState loaded={loaded} what={t('insights.what')} onRetry={() => void reload()} />
      {loaded.status !== 'ready' ? null : (
        <>
          <ColumnChart
            title={t('insights.meetingsPerWeek')}
            summary={t('insights.meetingsSummary', { count: total('meetings'), weeks })}
            labelHeading={t('insights.weekOf')}
            unit={t('insights.meetings')}
            columns={loaded.value.weeks.map((w) => ({ label: weekLabel(w.weekStart, intl.locale), value: w.meetings }))}
          />
          <ColumnChart
            title={t('insights.hoursPerWeek')}
            summary={t('insights.hoursSummary', { hours: Math.round(total('hours') * 10) / 10, weeks })}
            labelHeading={t('insights.weekOf')}
            unit={t('insights.hours')}
            columns={loaded.value.weeks.map((w) => ({ label: weekLabel(w.weekStart, intl.locale), value: w.hours }))}
          />
          <TalkTimeBars title={t('insights.balance')} talkTime={loaded.value.talkTime} />
        </>
      )}
    </section>
  );
}
