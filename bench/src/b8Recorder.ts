import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRenderer, launchChromium, repoRoot, serveStatic } from '@tandem/devstack';
import { JoinResultSchema, type Meeting, type Recording, type RecordingList } from '@tandem/shared';
import type { Benchmark } from './benchmark.ts';
import { call, createOrganisation } from './orgClient.ts';
import { descendantsCpu, startBenchServer } from './serverProcess.ts';

const PEOPLE = 4;
const WARM_UP_MS = 5_000;
const MEASURE_MS = Number(process.env['B8R_SECONDS'] ?? 30) * 1000;
type ProbeWindow = { probe: { join(url: string, token: string): Promise<string> } };

/**
 * B8 (recorder part): the CPU a recording costs, for a 720p composite of a four-person call.
 * Four people publish cameras from the e2e probe page (Chromium, fake devices, simulcast); the
 * host starts a recording; after a warm-up, the CPU of the recorder's processes (everything the
 * coordination server started: the recorder, its headless Chromium, ffmpeg) is read from /proc
 * over the measured window, as cores (CPU seconds per second). The publishers' Chromium and
 * LiveKit are not counted.
 */
export const b8Recorder: Benchmark = {
  id: 'B8R',
  what: 'recorder CPU for a 720p composite of a four-person call',
  goals: [{ figure: 'recorderCores', below: 1, unit: 'cores' }],
  async run() {
    const webApp = buildRenderer();
    const recordings = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-b8r-'));
    const server = await startBenchServer({ WEB_APP_DIR: webApp, RECORDINGS_DIR: recordings });
    const probe = await serveStatic({
      '/probe/': path.join(repoRoot, 'e2e/probe'),
      '/livekit-client/': path.join(repoRoot, 'node_modules/livekit-client/dist'),
    });
    const browser = await launchChromium();
    try {
      const { owner, members } = await createOrganisation(server.url, PEOPLE);
      const host = owner.tokens.accessToken;
      const meeting = await call<Meeting>(server.url, 'POST', '/meetings', host, {
        title: 'B8R recorded call',
        invitees: members.slice(1).map((m) => m.userId),
      });
      for (const member of members) {
        const joined = JoinResultSchema.parse(
          await call(server.url, 'POST', `/meetings/${meeting.id}/join`, member.accessToken, {}),
        );
        if (joined.status !== 'joined') throw new Error('a participant did not get into the room');
        const page = await browser.newPage();
        await page.goto(`${probe.origin}/probe/index.html`);
        await page.evaluate(([u, t]) => (window as unknown as ProbeWindow).probe.join(u, t), [
          joined.livekit.url,
          joined.livekit.token,
        ] as const);
      }
      const recording = await call<Recording>(server.url, 'POST', `/meetings/${meeting.id}/recordings`, host, {});
      const status = async () =>
        (await call<RecordingList>(server.url, 'GET', `/meetings/${meeting.id}/recordings`, host)).recordings.find(
          (r) => r.id === recording.id,
        )?.status;
      const asked = performance.now();
      while ((await status()) !== 'recording') {
        if (performance.now() - asked > 60_000) throw new Error('the recording did not start within a minute');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const startMs = performance.now() - asked;
      await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
      const before = descendantsCpu(server.pid);
      const from = performance.now();
      await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
      const after = descendantsCpu(server.pid);
      const seconds = (performance.now() - from) / 1000;
      await call(server.url, 'POST', `/meetings/${meeting.id}/recordings/${recording.id}/stop`, host, {});
      return {
        params: {
          people: PEOPLE,
          publishers: 'e2e/probe 640x360 fake camera, simulcast',
          composite: '1280x720',
          measuredSeconds: Math.round(seconds),
        },
        figures: {
          recorderCores: (after.cpuSeconds - before.cpuSeconds) / seconds,
          recorderProcesses: after.count,
          startToRecordingMs: startMs,
        },
      };
    } finally {
      await browser.close();
      await probe.close();
      await server.stop();
      fs.rmSync(recordings, { recursive: true, force: true });
      fs.rmSync(webApp, { recursive: true, force: true });
    }
  },
};
