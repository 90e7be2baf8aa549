import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMeetingLink, type LinkedMeeting } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../core.ts';
import type { Platform } from '../platform/types.ts';

const TEAMS =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ4ZTg2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d';

function meetingOf(text: string): LinkedMeeting {
  const result = parseMeetingLink(text);
  if (!result.ok) throw new Error(result.message);
  return result.meeting;
}

let core: Core | undefined;
let dir: string | undefined;
afterEach(async () => {
  await core?.close();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  core = undefined;
  dir = undefined;
});

/** A fake of Electron's shell.openExternal: records what was opened; schemes in `failing` have no handler. */
async function appWithShell(failing: readonly string[] = []) {
  const opened: string[] = [];
  const platform: Platform = {
    secretCipher: null,
    screenSources: async () => [],
    overlays: null,
    notifications: null,
    appMenu: null,
    power: null,
    badge: null,
    taskbarOverlay: null,
    tray: null,
    globalShortcuts: null,
    loginItems: null,
    links: { listen: () => undefined },
    download: async () => undefined,
    async openExternal(url) {
      if (failing.some((scheme) => url.startsWith(scheme))) throw new Error(`no application handles ${url}`);
      opened.push(url);
    },
  };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-linked-'));
  core = await startCore({ dataDir: dir, platform, emit: () => undefined });
  return { opened, linked: core.services.linked };
}

describe('joining a linked meeting (Electron shell faked at the platform seam)', () => {
  it('opens Teams in its native client with the msteams: URL', async () => {
    const { opened, linked } = await appWithShell();
    const joined = await linked.join(meetingOf(`Join the meeting now ${TEAMS}`));
    const native = TEAMS.replace('https://teams.microsoft.com', 'msteams:');
    expect(joined).toEqual({ opened: 'native', url: native });
    expect(opened).toEqual([native]);
  });

  it('falls back to the web link when the native client cannot be opened', async () => {
    const { opened, linked } = await appWithShell(['zoommtg:']);
    const joined = await linked.join(meetingOf('https://acme.zoom.us/j/85746065432?pwd=abc'));
    expect(joined).toEqual({ opened: 'web', url: 'https://acme.zoom.us/j/85746065432?pwd=abc' });
    expect(opened).toEqual(['https://acme.zoom.us/j/85746065432?pwd=abc']);
  });

  it('opens Meet in the browser, and refuses when nothing can be opened', async () => {
    const { opened, linked } = await appWithShell(['https:']);
    await expect(linked.join(meetingOf('meet.google.com/abc-mnop-xyz'))).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(opened).toEqual([]);
  });

  it('does not open our own meetings outside the app', async () => {
    const { opened, linked } = await appWithShell();
    await expect(linked.join(meetingOf('tandem://join/abcd1234'))).rejects.toMatchObject({ code: 'bad_request' });
    expect(opened).toEqual([]);
  });
});
