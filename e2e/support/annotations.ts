import type { Page } from 'playwright-core';

/** One drawn element as a page shows it: its first point, mapped back to the shared frame. */
export type Readback = {
  readonly normalized: readonly [number, number];
  /** The shared video frame's size in pixels on that page. */
  readonly frame: { readonly width: number; readonly height: number };
};

const SVG = '.annotation-svg';

/** Where the shared frame is painted in the page, in page pixels. */
export async function paintedFrame(page: Page): Promise<{ left: number; top: number; width: number; height: number }> {
  return page.evaluate((selector) => {
    const svg = document.querySelector(selector);
    if (svg === null) throw new Error('no annotation layer');
    const box = svg.getBoundingClientRect();
    const [left = 0, top = 0, width = 0, height = 0] = (svg.getAttribute('data-frame') ?? '').split(',').map(Number);
    return { left: box.left + left, top: box.top + top, width, height };
  }, SVG);
}

/** Element ids in the page's annotation layer, in paint order. */
export function elementIds(page: Page): Promise<string[]> {
  return page.evaluate(
    (selector) =>
      [...document.querySelectorAll(`${selector} g[data-element-id]`)].map(
        (g) => g.getAttribute('data-element-id') ?? '',
      ),
    SVG,
  );
}

/**
 * Reads a freehand element back from what the page painted: the first point of its polyline
 * (overlay pixels) through the page's letterbox mapping back to normalised frame coordinates.
 */
export function readFreehand(page: Page, id: string): Promise<Readback> {
  return page.evaluate(
    ({ selector, id }) => {
      const svg = document.querySelector(selector);
      const line = svg?.querySelector(`g[data-element-id="${id}"] polyline`);
      if (svg === null || svg === undefined || line === null || line === undefined) throw new Error(`no element ${id}`);
      const [left = 0, top = 0, width = 1, height = 1] = (svg.getAttribute('data-frame') ?? '').split(',').map(Number);
      const [x = 0, y = 0] = (line.getAttribute('points') ?? '').split(' ')[0]?.split(',').map(Number) ?? [];
      const [fw = 0, fh = 0] = (svg.getAttribute('data-frame-size') ?? '').split('x').map(Number);
      return {
        normalized: [(x - left) / width, (y - top) / height] as const,
        frame: { width: fw, height: fh },
      };
    },
    { selector: SVG, id },
  );
}

/** How long the painted frame must stay put before a drawing starts, and how long it may take to. */
const STEADY_MS = 150;
const SETTLE_MS = 10_000;

/**
 * The painted frame once it stayed put for STEADY_MS. A layout still settling (the annotation
 * toolbar just turned on, a window resized, the share's first frames of another shape) moves the
 * frame between where the mouse is aimed and where it goes down: a CI run saw a stroke aimed at
 * 0.3 of the frame's height land at 0.348.
 */
async function steadyFrame(page: Page): Promise<Awaited<ReturnType<typeof paintedFrame>>> {
  const deadline = Date.now() + SETTLE_MS;
  let last = await paintedFrame(page);
  for (;;) {
    await page.waitForTimeout(STEADY_MS);
    const now = await paintedFrame(page);
    const same =
      now.left === last.left && now.top === last.top && now.width === last.width && now.height === last.height;
    if (same) return now;
    if (Date.now() > deadline) throw new Error(`the shared frame kept moving: ${JSON.stringify([last, now])}`);
    last = now;
  }
}

/** Drags the mouse through frame-relative points (0..1) of the page's shared screen, once its frame stays put. */
export async function drawThrough(page: Page, points: readonly (readonly [number, number])[]): Promise<void> {
  const frame = await steadyFrame(page);
  const at = ([x, y]: readonly [number, number]) =>
    [frame.left + x * frame.width, frame.top + y * frame.height] as const;
  const [first, ...rest] = points;
  if (first === undefined) return;
  await page.mouse.move(...at(first));
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(...at(point), { steps: 4 });
  await page.mouse.up();
}
