import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, serveStatic } from '@tandem/devstack';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { mediaAssets } from '../../apps/desktop/scripts/mediaAssets.ts';
import { noisySpeech, personVideo } from '../../e2e/support/mediaFiles.ts';
import type { Benchmark } from './benchmark.ts';
import type { B9Page } from './b9page/main.ts';
import { summarise } from './stats.ts';

const VIDEO_SECONDS = 15;
const AUDIO_SECONDS = 20;

/** CPU seconds used so far by every process of this Chromium (browser, renderer, GPU, utility). */
async function chromiumCpu(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { cpuTime: number }[];
    };
    return processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
  } finally {
    await cdp.detach();
  }
}

type B9Window = { b9: B9Page };

/**
 * B9: the app's media processors (renderer/media) in Chromium on this machine's CPU, WebGL through
 * SwiftShader as in the tests (no GPU here). Blur: the strong blur on a 1280×720 fake camera, each
 * frame's processing time as the segmenter pipeline reports it (segmentation + compositing), and
 * the whole browser's CPU per frame over a pass-through run of the same pipeline. Noise
 * suppression: the browser's CPU with the microphone through RNNoise against straight through,
 * as a share of one core.
 */
export const b9Effects: Benchmark = {
  id: 'B9',
  what: 'background blur per frame at 720p; noise suppression CPU',
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
      await build({
        root: path.join(import.meta.dirname, 'b9page'),
        base: './',
        logLevel: 'warn',
        configFile: false,
        plugins: [mediaAssets()],
        build: { outDir: pageDir, emptyOutDir: true, target: 'chrome130' },
      });
      site = await serveStatic({ '/': pageDir });
      browser = await launchChromium([
        `--use-file-for-fake-video-capture=${personVideo(scratch, 1280, 720)}`,
        `--use-file-for-fake-audio-capture=${noisySpeech(scratch)}`,
        '--autoplay-policy=no-user-gesture-required',
      ]);
      const page: Page = await browser.newPage();
      await page.goto(`${site.origin}/index.html`);
      await page.waitForFunction(() => 'b9' in window);

      const video = async (blur: boolean) => {
        await page.evaluate(
          (blur) =>
            (window as unknown as B9Window).b9.startVideo({
              background: blur ? { kind: 'blur', strength: 'strong' } : { kind: 'none' },
              ownBackground: null,
              lowLight: false,
            }),
          blur,
        );
        const before = await chromiumCpu(browser as Browser);
        const run = await page.evaluate(
          (seconds) => (window as unknown as B9Window).b9.measureVideo(seconds),
          VIDEO_SECONDS,
        );
        const cpu = (await chromiumCpu(browser as Browser)) - before;
        await page.evaluate(() => (window as unknown as B9Window).b9.stopVideo());
        return { ...run, cpuPerFrameMs: (cpu * 1000) / Math.max(1, run.frames) };
      };
      const plain = await video(false);
      const blurred = await video(true);

      const audio = async (suppress: boolean) => {
        await page.evaluate((suppress) => (window as unknown as B9Window).b9.audio(suppress), suppress);
        await page.waitForTimeout(2000);
        const before = await chromiumCpu(browser as Browser);
        await page.waitForTimeout(AUDIO_SECONDS * 1000);
        const cpu = (await chromiumCpu(browser as Browser)) - before;
        await page.evaluate(() => (window as unknown as B9Window).b9.stopAudio());
        return cpu / AUDIO_SECONDS;
      };
      const straight = await audio(false);
      const suppressed = await audio(true);

      const frame = summarise(blurred.costs.map((c) => c.totalMs));
      const segmentation = summarise(blurred.costs.map((c) => c.segmentationMs));
      const compositing = summarise(blurred.costs.map((c) => c.compositingMs));
      return {
        params: {
          camera: '1280x720 y4m (a drawn person on a checkerboard), 10 fps source',
          blur: 'strong (radius 18 at a quarter size), selfie_segmentation_landscape on 256x144, CPU delegate, Canvas 2D',
          videoSeconds: VIDEO_SECONDS,
          audio: 'espeak-ng speech over white noise, 48 kHz mono, RNNoise in an AudioWorklet',
          audioSeconds: AUDIO_SECONDS,
        },
        figures: {
          'blurFrame.p50': frame.p50,
          'blurFrame.p95': frame.p95,
          'blurFrame.n': frame.n,
          'blurSegmentation.p95': segmentation.p95,
          'blurCompositing.p95': compositing.p95,
          'blur.outputFps': Math.round((blurred.frames / VIDEO_SECONDS) * 10) / 10,
          'plain.outputFps': Math.round((plain.frames / VIDEO_SECONDS) * 10) / 10,
          'blur.cpuPerFrameMs': Math.round(blurred.cpuPerFrameMs * 10) / 10,
          'plain.cpuPerFrameMs': Math.round(plain.cpuPerFrameMs * 10) / 10,
          'noiseSuppression.corePercent': Math.round((suppressed - straight) * 1000) / 10,
          'audioStraight.corePercent': Math.round(straight * 1000) / 10,
        },
      };
    } finally {
      await browser?.close();
      await site?.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
