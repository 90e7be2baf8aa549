import path from 'node:path';
import { launchChromium, repoRoot, serveStatic } from '@tandem/devstack';
import { JoinResultSchema, type Meeting } from '@tandem/shared';
import { mediaSwitchArgs } from '../../apps/desktop/src/main/shell/mediaSwitches.ts';
import { ownerCreatesMeeting, ownerToken } from '../../e2e/support/people.ts';
import { call } from './orgClient.ts';

type ProbeWindow = { probe: { join(url: string, token: string): Promise<string> } };

export type HostCamera = {
  readonly meeting: Meeting;
  /** The demo owner's access token (the host). */
  readonly hostToken: string;
  close(): Promise<void>;
};

/**
 * A meeting of the demo owner, who joins it through the server and publishes the fake camera
 * from the e2e probe page (the smallest livekit-client page): the remote video B1's app join and
 * B7's guest wait for. The host is a desktop participant: their Chromium starts with the app's
 * media switches, as Electron does.
 */
export async function hostCamera(serverUrl: string, title: string): Promise<HostCamera> {
  const browser = await launchChromium(mediaSwitchArgs());
  const probe = await serveStatic({
    '/probe/': path.join(repoRoot, 'e2e/probe'),
    '/livekit-client/': path.join(repoRoot, 'node_modules/livekit-client/dist'),
  });
  const hostToken = await ownerToken(serverUrl);
  const meeting = await ownerCreatesMeeting(serverUrl, { title });
  const joined = JoinResultSchema.parse(await call(serverUrl, 'POST', `/meetings/${meeting.id}/join`, hostToken, {}));
  if (joined.status !== 'joined') throw new Error('the host did not get into the room');
  const publisher = await browser.newPage();
  await publisher.goto(`${probe.origin}/probe/index.html`);
  await publisher.evaluate(([u, t]) => (window as unknown as ProbeWindow).probe.join(u, t), [
    joined.livekit.url,
    joined.livekit.token,
  ] as const);
  return {
    meeting,
    hostToken,
    async close() {
      await browser.close();
      await probe.close();
    },
  };
}
