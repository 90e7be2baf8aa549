import { randomUUID } from 'node:crypto';
import { openStore } from '@tandem/server';
import type { Meeting, MeetingNotesResult } from '@tandem/shared';
import type { Benchmark } from './benchmark.ts';
import { call, createOrganisation } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const MEETING_MINUTES = Number(process.env['B8N_MINUTES'] ?? 30);
const ROUNDS = Number(process.env['B8N_ROUNDS'] ?? 3);
/** One utterance every five seconds: a busy meeting's pace (the speech sidecar cuts at 500 ms pauses). */
const UTTERANCE_EVERY_MS = 5000;

/** What people say most of the time (nothing to note), and now and then a request, a promise or a decision. */
const TALK = [
  'I think the numbers from last quarter look reasonable overall.',
  'Can we go back to the slide about hiring for a moment?',
  'That matches what the customers told us in the interviews.',
  'We should keep an eye on the support queue over the holidays.',
  'The design review went well and people liked the new layout.',
  'Let me share my screen so everyone can see the chart.',
];
const NOTEWORTHY = [
  'Grace, please send the budget by Friday.',
  "I'll update the roadmap before next Tuesday.",
  'We decided to move the launch to March.',
  'Member 2 will call the vendor tomorrow.',
];

/**
 * B8 (notes part): from the meeting's end to its notes being readable. A 30-minute meeting's
 * transcript (one utterance every 5 s from three speakers, about one in twenty worth noting) is
 * seeded into the server's database, as the transcriber would have stored it; the host ends the
 * meeting and the notes are polled every 20 ms until they are there (the server makes them in the
 * background with the deterministic extractor, stores them and posts them to the meeting's chat).
 * Also the time of an on-demand `POST …/notes` for the same transcript.
 */
export const b8Notes: Benchmark = {
  id: 'B8N',
  what: 'meeting notes: meeting end to notes ready, for a 30-minute transcript (extractor)',
  goals: [{ figure: 'endToNotes.max', below: 30_000, unit: 'ms' }],
  async run() {
    const server = await startBenchServer();
    const store = await openStore(server.databasePath);
    try {
      const { owner, members } = await createOrganisation(server.url, 3);
      const host = owner.tokens.accessToken;
      const speakers = members.map((m, i) => ({ userId: m.userId, name: i === 0 ? 'Owner' : `Member ${i}` }));
      const segments = Math.floor((MEETING_MINUTES * 60_000) / UTTERANCE_EVERY_MS);
      const endToNotes: number[] = [];
      const onDemand: number[] = [];
      let items = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const meeting = await call<Meeting>(server.url, 'POST', '/meetings', host, {
          title: `B8 notes ${round}`,
          invitees: members.slice(1).map((m) => m.userId),
        });
        const start = Date.now() - MEETING_MINUTES * 60_000;
        for (let i = 0; i < segments; i++) {
          const speaker = speakers[i % speakers.length] ?? speakers[0];
          if (speaker === undefined) throw new Error('no speakers');
          const text = i % 20 === 7 ? NOTEWORTHY[((i / 20) % NOTEWORTHY.length) | 0] : TALK[i % TALK.length];
          await store.transcripts.add({
            id: randomUUID(),
            organisationId: meeting.organisationId,
            meetingId: meeting.id,
            speaker,
            startedAt: new Date(start + i * UTTERANCE_EVERY_MS).toISOString(),
            endedAt: new Date(start + i * UTTERANCE_EVERY_MS + 3500).toISOString(),
            text: text ?? '',
          });
        }
        const ended = performance.now();
        await call(server.url, 'POST', `/meetings/${meeting.id}/end`, host);
        for (;;) {
          const { notes } = await call<MeetingNotesResult>(server.url, 'GET', `/meetings/${meeting.id}/notes`, host);
          if (notes !== null) {
            endToNotes.push(performance.now() - ended);
            items = notes.items.length;
            break;
          }
          if (performance.now() - ended > 120_000) throw new Error('no notes within two minutes');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const asked = performance.now();
        await call(server.url, 'POST', `/meetings/${meeting.id}/notes`, host, {});
        onDemand.push(performance.now() - asked);
      }
      const end = summarise(endToNotes);
      const demand = summarise(onDemand);
      return {
        params: { minutes: MEETING_MINUTES, segments, rounds: ROUNDS, provider: 'extractor' },
        figures: {
          'endToNotes.p50': end.p50,
          'endToNotes.max': end.max,
          'onDemand.p50': demand.p50,
          'onDemand.max': demand.max,
          items,
        },
      };
    } finally {
      await store.close();
      await server.stop();
    }
  },
};
