import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { MeetingListSchema } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import type { Desktop } from './support/desktop.ts';
import { asOwner, createMeeting, joinFromPreview, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const TITLE = 'Quarterly town hall';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * A webinar in two desktops (renderer in Chromium, main's IPC behind the bridge) on the real
 * coordination server and livekit-server: Ada hosts it from the backstage, Grace waits in the
 * audience until Ada goes live, watches without camera or microphone, asks into the moderation
 * queue and reacts; Ada publishes and answers the question, and brings Grace on stage and back.
 */
describe('webinars, end to end: a host and an attendee', () => {
  let world: World<readonly ['ada', 'grace']>;
  let ada: Desktop;
  let grace: Desktop;
  const question = (page: Page) => page.getByRole('listitem', { name: 'Question: Will the slides be shared?' });
  const status = (page: Page) => page.locator('.webinar-status');

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    [ada, grace] = world.desktops;
    await Promise.all([signIn(ada.page, world.server.url, ADA), signIn(grace.page, world.server.url, GRACE)]);
  });
  afterAll(() => world?.close());

  it('a host opens the backstage of a new webinar while the attendee is told it starts soon', async () => {
    await ada.page.getByRole('checkbox', { name: /^A webinar/ }).check();
    const code = await createMeeting(ada.page, TITLE);
    const { meetings } = MeetingListSchema.parse(await asOwner(world.server.url, '/meetings'));
    expect(meetings.find((m) => m.title === TITLE)).toMatchObject({ type: 'webinar', webinar: { liveSince: null } });
    await ada.page.getByRole('button', { name: `Join ${TITLE}` }).click();
    await joinFromPreview(ada.page);
    await status(ada.page).getByText('Backstage', { exact: true }).waitFor(SYNC);

    await grace.page.getByLabel('Meeting code or link').fill(code);
    await grace.page.getByRole('button', { name: 'Join', exact: true }).click();
    await grace.page.getByLabel('Your camera preview').waitFor(SYNC);
    await grace.page.getByRole('button', { name: 'Join now' }).click();
    await grace.page.getByRole('heading', { name: 'The webinar starts soon' }).waitFor(SYNC);

    await status(ada.page).getByText('1 attendee is waiting.').waitFor(SYNC);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'webinar-backstage');
  });

  it('goes live: the attendee watches without camera or microphone, asks into the moderation queue and reacts', async () => {
    await status(ada.page).getByRole('button', { name: 'Go live' }).click();
    await status(ada.page).getByText('Live', { exact: true }).waitFor(SYNC);
    await grace.page.getByRole('navigation', { name: 'Call controls' }).waitFor(SYNC);
    await status(grace.page).getByText('Live', { exact: true }).waitFor(SYNC);
    await grace.page.getByRole('figure', { name: ADA.name, exact: true }).waitFor(SYNC);
    expect(await grace.page.getByRole('button', { name: 'Unmute' }).isDisabled()).toBe(true);
    expect(await grace.page.getByRole('button', { name: 'Start camera' }).isDisabled()).toBe(true);
    // Nobody sees the audience on the stage.
    expect(await ada.page.getByRole('figure', { name: GRACE.name, exact: true }).count()).toBe(0);

    await grace.page.getByRole('button', { name: 'Q&A' }).click();
    await grace.page.getByLabel('Your question').fill('Will the slides be shared?');
    await grace.page.getByRole('button', { name: 'Ask', exact: true }).click();
    await question(grace.page).getByText('Awaiting moderation').waitFor(SYNC);

    await ada.page.getByRole('button', { name: 'Q&A' }).click();
    await ada.page.getByText('1 question awaits moderation.').waitFor(SYNC);
    await question(ada.page).getByRole('button', { name: 'Publish' }).click();
    await question(ada.page).getByLabel('Answer').fill('Yes, right after the session.');
    await question(ada.page).getByRole('button', { name: 'Send answer' }).click();
    await question(grace.page).getByText('Yes, right after the session.').waitFor(SYNC);
    expect(await question(grace.page).getByText('Awaiting moderation').count()).toBe(0);

    await grace.page.getByRole('button', { name: 'React', exact: true }).click();
    await grace.page.getByRole('button', { name: 'React 🎉' }).click();
    await ada.page.getByRole('img', { name: 'audience reaction 🎉' }).waitFor(SYNC);
    await grace.page.keyboard.press('Escape');

    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await shot(grace.page, 'webinar-attendee-qna');
  });

  it('brings the attendee on stage without a rejoin, and back to the audience', async () => {
    await ada.page.getByRole('button', { name: 'People' }).click();
    await ada.page.getByRole('button', { name: `Bring ${GRACE.name} on stage` }).click();
    const unmute = grace.page.getByRole('button', { name: 'Unmute' });
    await expect.poll(() => unmute.isEnabled(), SYNC).toBe(true);
    await unmute.click();
    await ada.page.getByRole('figure', { name: GRACE.name, exact: true }).waitFor(SYNC);
    // On stage she is a panelist, who may run the webinar's live stream as hosts do.
    await grace.page.getByRole('button', { name: 'Hands & host' }).click();
    const stream = grace.page.getByRole('region', { name: 'Live stream' });
    await stream.getByText('Not streaming.').waitFor(SYNC);
    await ada.page.getByRole('button', { name: `Move ${GRACE.name} back to the audience` }).click();
    await expect.poll(() => grace.page.getByRole('button', { name: /^(Unmute|Mute)$/ }).isDisabled(), SYNC).toBe(true);
    await stream.waitFor({ state: 'detached', ...SYNC });
    await ada.page.getByRole('figure', { name: GRACE.name, exact: true }).waitFor({ state: 'detached', ...SYNC });
  });
});
