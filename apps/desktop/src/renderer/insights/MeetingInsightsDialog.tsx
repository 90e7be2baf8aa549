import { useCallback } from 'react';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { durationText } from './chart.ts';
import { TalkTimeBars } from './Charts.tsx';
import { useInsightsController } from './insightsController.ts';

const time = (iso: string): string => new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' });

/** A meeting's attendance (who came, when, for how long) and talk time per person. */
export function MeetingInsightsDialog({
  meeting,
  onClose,
}: {
  readonly meeting: { readonly id: string; readonly title: string };
  readonly onClose: () => void;
}) {
  const insights = useInsightsController();
  const load = useCallback(() => insights.meeting(meeting.id), [insights, meeting.id]);
  const [loaded, reload] = useLoad(load);
  return (
    <Modal title={`Insights of ${meeting.title}`} onClose={onClose}>
      <div className="insights">
        <LoadState loaded={loaded} what="the insights" onRetry={() => void reload()} />
        {loaded.status !== 'ready' ? null : (
          <>
            <h3>Attendance</h3>
            {loaded.value.attendance.length === 0 ? (
              <p className="empty">Nobody has joined this meeting’s call yet.</p>
            ) : (
              <table className="insights-table">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Joined</th>
                    <th scope="col">Left</th>
                    <th scope="col">In the call</th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.value.attendance.map((a) => (
                    <tr key={a.userId}>
                      <th scope="row">{a.name}</th>
                      <td>{time(a.firstJoinedAt)}</td>
                      <td>{a.lastLeftAt === null ? 'Still there' : time(a.lastLeftAt)}</td>
                      <td>
                        {durationText(a.totalMs)}
                        {a.visits > 1 ? ` (${a.visits} visits)` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <TalkTimeBars title="Talk time" talkTime={loaded.value.talkTime} />
          </>
        )}
      </div>
      <div className="row form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
