import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, serveStatic, startLivekit, type RunningLivekit } from '@tandem/devstack';
import { AccessToken } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import { mediaAssets } from '../../apps/desktop/scripts/mediaAssets.ts';
import { wat } from '../../apps/desktop/scripts/wat.ts';
import { noisySpeech, personVideo } from '../../e2e/support/mediaFiles.ts';
import type { Benchmark } from './benchmark.ts';
import { buildBenchPage } from './benchPage.ts';
import type { B9CallPage } from './b9page/call.ts';
import type { AudioMode, B9Page } from './b9page/main.ts';
import { summarise } from './stats.ts';

const VIDEO_SECONDS = 15;
const AUDIO_SECONDS = 20;
/** Each call run: both in the room and each seeing the other, then this long measured. */
const CALL_SECONDS = Number(process.env['B9_CALL_SECONDS'] ?? 20);
/** Pairs of call runs, plain and encrypted, their order swapped every pair (ABBA…). */
const CALL_PAIRS = Number(process.env['B9_CALL_PAIRS'] ?? 3);
/** Which parts run (a comma list of blur, noise, e2ee): all by default. */
const PARTS = new Set((process.env['B9_PARTS'] ?? 'blur,noise,e2ee').split(','));
/** A folder for the blur run's CPU profile of the page (`BENCH_PROF`, as for the server). */
const PROFILE_DIR = process.env['BENCH_PROF'];

const round1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const loadNow = () => Math.round((os.loadavg()[0] ?? 0) * 100) / 100;

/** CPU seconds used so far by each kind of process of this Chromium (browser, renderer, GPU, utility). */
async function cpuByProcess(browser: Browser): Promise<Record<string, number>> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; cpuTime: number }[];
    };
    const byType: Record<string, number> = {};
    for (const p of processInfo) byType[p.type] = (byType[p.type] ?? 0) + p.cpuTime;
    return byType;
  } finally {
    await cdp.detach();
  }
}

/** CPU seconds used so far by every process of this Chromium. */
async function chromiumCpu(browser: Browser): Promise<number> {
  return Object.values(await cpuByProcess(browser)).reduce((sum, s) => sum + s, 0);
}

type B9Window = { b9: B9Page };
type CallWindow = { b9call: B9CallPage };

type Figures = Record<string, number>;
type Part = { params: Record<string, unknown>; figures: Figures };

/** The blur's cost per frame, against the same pipeline passing frames through. */
async function blur(page: Page, browser: Browser): Promise<Part> {
  const video = async (blurred: boolean, profile?: string) => {
    await page.evaluate(
      (blurred) =>
        (window as unknown as B9Window).b9.startVideo({
          background: blurred ? { kind: 'blur', strength: 'strong' } : { kind: 'none' },
          ownBackground: null,
          lowLight: false,
        }),
      blurred,
    );
    const cdp = profile === undefined ? undefined : await page.context().newCDPSession(page);
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.start');
    const before = await cpuByProcess(browser);
    const run = await page.evaluate(
      (seconds) => (window as unknown as B9Window).b9.measureVideo(seconds),
      VIDEO_SECONDS,
    );
    const after = await cpuByProcess(browser);
    const perFrameMs = (seconds: number) => round1((seconds * 1000) / Math.max(1, run.frames));
    const byProcess = Object.fromEntries(
      Object.entries(after).map(([type, seconds]) => [type, perFrameMs(seconds - (before[type] ?? 0))]),
    );
    if (cdp !== undefined && profile !== undefined) {
      const { profile: taken } = await cdp.send('Profiler.stop');
      fs.writeFileSync(profile, JSON.stringify(taken));
      await cdp.detach();
    }
    await page.evaluate(() => (window as unknown as B9Window).b9.stopVideo());
    const cpuPerFrameMs = Object.values(byProcess).reduce((sum, ms) => sum + ms, 0);
    return { ...run, byProcess, cpuPerFrameMs };
  };
  const plain = await video(false);
  const blurred = await video(
    true,
    PROFILE_DIR === undefined ? undefined : path.join(PROFILE_DIR, `b9-blur-${Date.now()}.cpuprofile`),
  );
  const frame = summarise(blurred.costs.filter((c) => c.kind === 'frame').map((c) => c.ms));
  const segmentation = summarise(blurred.costs.filter((c) => c.kind === 'segmentation').map((c) => c.ms));
  return {
    params: {
      camera: '1280x720 y4m (a drawn person on a checkerboard), 10 fps source',
      blur: 'strong (radius 18 at a quarter size), selfie_segmentation_landscape, CPU delegate, in a worker; composited in I420 planes (WebAssembly SIMD loops)',
      videoSeconds: VIDEO_SECONDS,
    },
    figures: {
      'blurFrame.p50': frame.p50,
      'blurFrame.p95': frame.p95,
      'blurFrame.n': frame.n,
      'blurSegmentation.p50': segmentation.p50,
      'blurSegmentation.p95': segmentation.p95,
      'blurSegmentation.perSecond': round1(segmentation.n / VIDEO_SECONDS),
      'blur.outputFps': round1(blurred.frames / VIDEO_SECONDS),
      'plain.outputFps': round1(plain.frames / VIDEO_SECONDS),
      'blur.cpuPerFrameMs': round1(blurred.cpuPerFrameMs),
      'plain.cpuPerFrameMs': round1(plain.cpuPerFrameMs),
      ...Object.fromEntries(Object.entries(blurred.byProcess).map(([type, ms]) => [`blur.cpuPerFrameMs.${type}`, ms])),
    },
  };
}

/**
 * Noise suppression's CPU: the microphone through the app's processor against the microphone as
 * it is (what LiveKit sends with it off), and where the difference goes: the track into a WebAudio
 * context and out as a new track, an AudioWorklet that only copies, and RNNoise itself. The modes
 * run in one order, then in the reverse, and each mode's runs are averaged.
 */
async function noise(page: Page, browser: Browser): Promise<Part> {
  const audio = async (mode: AudioMode) => {
    await page.evaluate((mode) => (window as unknown as B9Window).b9.audio(mode), mode);
    await page.waitForTimeout(2000);
    const before = await chromiumCpu(browser);
    await page.waitForTimeout(AUDIO_SECONDS * 1000);
    const cpu = (await chromiumCpu(browser)) - before;
    await page.evaluate(() => (window as unknown as B9Window).b9.stopAudio());
    return (cpu / AUDIO_SECONDS) * 100;
  };
  const modes: readonly AudioMode[] = ['raw', 'straight', 'worklet', 'rnnoise'];
  const runs: { mode: AudioMode; corePercent: number }[] = [];
  for (const mode of [...modes, ...modes.toReversed()]) runs.push({ mode, corePercent: await audio(mode) });
  const percent = (mode: AudioMode) => mean(runs.filter((r) => r.mode === mode).map((r) => r.corePercent));
  return {
    params: {
      audio: 'espeak-ng speech over white noise, 48 kHz mono, RNNoise in an AudioWorklet',
      audioSeconds: AUDIO_SECONDS,
      audioRuns: runs.map((r) => ({ ...r, corePercent: round1(r.corePercent) })),
    },
    figures: {
      'noiseSuppression.corePercent': round1(percent('rnnoise') - percent('raw')),
      'noiseSuppression.contextHopsCorePercent': round1(percent('straight') - percent('raw')),
      'noiseSuppression.workletHopCorePercent': round1(percent('worklet') - percent('straight')),
      'noiseSuppression.modelCorePercent': round1(percent('rnnoise') - percent('worklet')),
      'audioRaw.corePercent': round1(percent('raw')),
    },
  };
}

/** One two-person call on livekit-server, both participants as pages of one Chromium: its CPU per second. */
async function callRun(
  browser: Browser,
  pages: readonly [Page, Page],
  livekit: RunningLivekit,
  encrypted: boolean,
): Promise<{
  encrypted: boolean;
  load: number;
  corePercent: number;
  byProcess: Record<string, number>;
  receivedFps: number;
  receivedHeight: number;
  sentHeight: number;
}> {
  const room = `b9-call-${Date.now()}`;
  const meetingKey = encrypted ? [...crypto.randomBytes(32)] : null;
  const load = loadNow();
  await Promise.all(
    pages.map(async (page, i) => {
      const token = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity: `p${i}`, ttl: '10m' });
      token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
      const jwt = await token.toJwt();
      await page.evaluate(([url, t, key]) => (window as unknown as CallWindow).b9call.join(url, t, key), [
        livekit.wsUrl,
        jwt,
        meetingKey,
      ] as const);
    }),
  );
  const received = () =>
    Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as CallWindow).b9call.received())));
  // Each sees the other, decrypted when encrypted, and the encoders have ramped up.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await received();
    if (now.every((r) => r.frames > 0 && r.encrypted === encrypted)) break;
    if (Date.now() > deadline) throw new Error(`the call did not come up: ${JSON.stringify(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const framesBefore = await received();
  const before = await cpuByProcess(browser);
  await new Promise((resolve) => setTimeout(resolve, CALL_SECONDS * 1000));
  const cpuAfter = await cpuByProcess(browser);
  const after = await received();
  const byProcess = Object.fromEntries(
    Object.entries(cpuAfter).map(([type, s]) => [type, round1(((s - (before[type] ?? 0)) / CALL_SECONDS) * 100)]),
  );
  const cpu =
    Object.values(cpuAfter).reduce((sum, s) => sum + s, 0) - Object.values(before).reduce((sum, s) => sum + s, 0);
  await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as CallWindow).b9call.leave())));
  const fps = after.map((r, i) => (r.frames - (framesBefore[i]?.frames ?? 0)) / CALL_SECONDS);
  return {
    encrypted,
    load,
    corePercent: round1((cpu / CALL_SECONDS) * 100),
    byProcess,
    receivedFps: round1(mean(fps)),
    receivedHeight: Math.min(...after.map((r) => r.height)),
    sentHeight: Math.min(...after.map((r) => r.sentHeight)),
  };
}

/**
 * End-to-end encryption's cost: the whole Chromium's CPU per second of a two-person call, E2EE on
 * against off, in alternating runs of the same Chromium and livekit-server.
 */
async function encryption(origin: string, speech: string): Promise<Part> {
  const livekit = await startLivekit();
  // Chromium's own fake camera (a moving picture: a still one would be encoded to almost nothing).
  const browser = await launchChromium([
    `--use-file-for-fake-audio-capture=${speech}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
  try {
    const pages = [await browser.newPage(), await browser.newPage()] as const;
    for (const page of pages) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${origin}/call.html`);
      await page.waitForFunction(() => 'b9call' in window);
    }
    // A first call warms the pages (modules, codecs, the worker) and is not counted.
    await callRun(browser, pages, livekit, true);
    const runs = [];
    for (let pair = 0; pair < CALL_PAIRS; pair += 1) {
      const order = pair % 2 === 0 ? [false, true] : [true, false];
      for (const encrypted of order) runs.push(await callRun(browser, pages, livekit, encrypted));
    }
    const plain = mean(runs.filter((r) => !r.encrypted).map((r) => r.corePercent));
    const encryptedCpu = mean(runs.filter((r) => r.encrypted).map((r) => r.corePercent));
    return {
      params: {
        call: 'two participants, pages of one Chromium, the app roomOptions (1080p capture, simulcast 180/540/1080, RED, DTX); Chromium fake camera; speech over noise',
        e2ee: 'the app MeetingKeyProvider and e2ee worker (livekit-client frame encryption, AES-GCM)',
        callSeconds: CALL_SECONDS,
        callRuns: runs,
      },
      figures: {
        'call.plain.corePercent': round1(plain),
        'call.encrypted.corePercent': round1(encryptedCpu),
        'e2ee.overheadCorePercent': round1(encryptedCpu - plain),
        'e2ee.overheadPercent': round1(((encryptedCpu - plain) / plain) * 100),
        'call.plain.receivedFps': round1(mean(runs.filter((r) => !r.encrypted).map((r) => r.receivedFps))),
        'call.encrypted.receivedFps': round1(mean(runs.filter((r) => r.encrypted).map((r) => r.receivedFps))),
      },
    };
  } finally {
    await browser.close();
    await livekit.stop();
  }
}

/**
 * B9: the app's media processors (renderer/media) in Chromium on this machine's CPU, WebGL through
 * SwiftShader as in the tests (no GPU here). Blur: the strong blur on a 1280×720 fake camera, each
 * frame's processing time as the segmenter pipeline reports it (segmentation + compositing), and
 * the whole browser's CPU per frame over a pass-through run of the same pipeline. Noise
 * suppression: the browser's CPU with the microphone through RNNoise against as it is, as a share
 * of one core. Encryption: a two-person call's CPU with E2EE on against off.
 */
export const b9Effects: Benchmark = {
  id: 'B9',
  what: 'background blur per frame at 720p; noise suppression CPU; end-to-end encryption CPU',
  goals: [
    { figure: 'blurFrame.p95', below: 12, unit: 'ms' },
    { figure: 'noiseSuppression.corePercent', below: 5, unit: '% of a core' },
  ],
  async run() {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-b9-'));
    const pageDir = path.join(scratch, 'page');
    let browser: Browser | undefined;
    let site: Awaited<ReturnType<typeof serveStatic>> | undefined;
    try {
      await buildBenchPage(path.join(import.meta.dirname, 'b9page'), pageDir, {
        entries: ['index.html', 'call.html'],
        plugins: [mediaAssets(), wat()],
      });
      site = await serveStatic({ '/': pageDir });
      const speech = noisySpeech(scratch);
      const parts: Part[] = [];
      if (PARTS.has('blur') || PARTS.has('noise')) {
        browser = await launchChromium([
          `--use-file-for-fake-video-capture=${personVideo(scratch, 1280, 720)}`,
          `--use-file-for-fake-audio-capture=${speech}`,
          '--autoplay-policy=no-user-gesture-required',
        ]);
        const page: Page = await browser.newPage();
        await page.goto(`${site.origin}/index.html`);
        await page.waitForFunction(() => 'b9' in window);
        if (PARTS.has('blur')) parts.push(await blur(page, browser));
        if (PARTS.has('noise')) parts.push(await noise(page, browser));
        await browser.close();
        browser = undefined;
      }
      if (PARTS.has('e2ee')) parts.push(await encryption(site.origin, speech));
      return {
        params: Object.assign({ parts: [...PARTS] }, ...parts.map((p) => p.params)) as Record<string, unknown>,
        figures: Object.assign({}, ...parts.map((p) => p.figures)) as Figures,
      };
    } finally {
      await browser?.close();
      await site?.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
