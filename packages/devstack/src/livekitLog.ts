import fs from 'node:fs';

/** What livekit-server logged about a participant's session in a room: its start or its close, when. */
export type LoggedSession = {
  readonly at: number;
  readonly what: 'started' | 'closing';
  readonly room: string;
  readonly identity: string;
};

/**
 * The sessions livekit-server logged in `logFile` (`LivekitInfo.logFile`: its own log, by its
 * clock): "starting RTC session" at a participant's join, before the ICE + DTLS handshake;
 * "participant closing" as it leaves. Its order is LiveKit's, whatever the load: reading the
 * rooms from outside, however often, could miss a session shorter than a read's way through a
 * loaded machine.
 */
export function loggedSessions(logFile: string): LoggedSession[] {
  const sessions: LoggedSession[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    const [time, , , , message, fields] = line.split('\t');
    const what = message === 'starting RTC session' ? 'started' : message === 'participant closing' ? 'closing' : null;
    if (what === null || time === undefined || fields === undefined) continue;
    const { room, participant } = JSON.parse(fields) as { room?: string; participant?: string };
    if (room !== undefined && participant !== undefined)
      sessions.push({ at: Date.parse(time), what, room, identity: participant });
  }
  return sessions;
}
