import { useCallback } from 'react';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { durationText } from './chart.ts';
import { TalkTimeBars } from './Charts.tsx';
import { useInsightsController } from './insightsController.ts';
import { useT } from '../i18n/useT.ts';
import { useIntl } from 'react-intl';

/** A meeting's attendance (who came, when, for how long) and talk time per person. */
export function MeetingInsightsDialog({
  meeting,
  onClose,
}: {
  readonly meeting: { readonly id: string; readonly title: string };
  readonly onClose: () => void;
}) {
  const t = useT();
  const intl = useIntl();
  const time = (iso: string) => intl.formatTime(iso, { timeStyle: 'short' });
  const insights = useInsightsController();
  const load = useCallback(() => insights.meeting(meeting.id), [insights, meeting.id]);
  const [loaded, reload] = useLoad(load);
  return (
    <Modal title={t('decisions.insightsOf', { title: meeting.title })} onClose={onClose}>
      <div className="insights">
        <LoadState loaded={loaded} what={t('insights.what')} onRetry={() => void reload()} />
        {loaded.status !== 'ready' ? null : (
          <>
            <h3>{t('insights.attendance')}</h3>
            {loaded.value.attendance.length === 0 ? (
              <p className="empty">{t('insights.attendance.none')}</p>
            ) : (
              <table className="insights-table">
                <thead>
                  <tr>
                    <th scope="col">{t('insights.person')}</th>
                    <th scope="col">{t('insights.joined')}</th>
                    <th scope="col">{t('insights.left')}</th>
                    <th scope="col">{t('insights.inCall')}</th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.value.attendance.map((a) => (
                    <tr key={a.userId}>
                      <th scope="row">{a.name}</th>
                      <td>{time(a.firstJoinedAt)}</td>
                      <td>{a.lastLeftAt === null ? t('insights.stillThere') : time(a.lastLeftAt)}</td>
                      <td>
                        {durationText(a.totalMs)}
                        {a.visits > 1 ? ` ${t('insights.visits', { count: a.visits })}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <TalkTimeBars title={t('insights.talkTime')} talkTime={loaded.value.talkTime} />
          </>
        )}
      </div>
      <div className="row form-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('chat.close')}
        </button>
      </div>
    </Modal>
  );
}
