import { BADGE_RED, discCoverage } from './badgeImage.ts';
import { encodePng, type RgbaImage } from './png.ts';
import type { TrayIcon } from './tray.ts';

/**
 * The tray's (menu bar's) icon for one state, as Teams and Slack draw theirs: the app's icon with
 * the person's status as a coloured dot in the bottom corner and, while anything is unread, the
 * badge's red dot in the top corner, each cut out of the icon by a thin transparent ring so it
 * reads on any taskbar; signed out, the icon greyed and faded, without dots. Drawn here in Node
 * from the app icon's pixels (services/png.ts); platform/electron.ts only wraps it in a nativeImage.
 */

type Rgb = readonly [number, number, number];

/** Each status's colour (Teams' palette): the dot's fill. */
export const STATUS_COLOURS: Readonly<Record<Exclude<TrayIcon['status'], 'signed-out'>, Rgb>> = {
  available: [0x6b, 0xb7, 0x00],
  away: [0xf8, 0xd2, 0x2a],
  busy: BADGE_RED,
  dnd: BADGE_RED,
  offline: [0x8a, 0x88, 0x86],
};

const WHITE: Rgb = [0xff, 0xff, 0xff];

/** Where the dots are, as fractions of the icon's size: centre and radius; the ring around them. */
export function dotGeometry(size: number): {
  readonly status: { readonly cx: number; readonly cy: number; readonly r: number };
  readonly unread: { readonly cx: number; readonly cy: number; readonly r: number };
  readonly ring: number;
} {
  const rs = size * 0.22;
  const ru = size * 0.19;
  return {
    status: { cx: size - rs, cy: size - rs, r: rs },
    unread: { cx: size - ru, cy: ru, r: ru },
    ring: size / 20,
  };
}

/** Paints `colour` over pixel `i` with `coverage` (0–1), as an opaque colour over what is there. */
function paint(pixels: Uint8Array, i: number, colour: Rgb, coverage: number): void {
  if (coverage <= 0) return;
  const under = (pixels[i + 3] ?? 0) / 255;
  const alpha = coverage + under * (1 - coverage);
  colour.forEach((value, c) => {
    pixels[i + c] = Math.round((value * coverage + (pixels[i + c] ?? 0) * under * (1 - coverage)) / alpha);
  });
  pixels[i + 3] = Math.round(alpha * 255);
}

/** Makes pixel `i` transparent by `coverage` (0–1): the ring that sets a dot apart from the icon. */
function cut(pixels: Uint8Array, i: number, coverage: number): void {
  pixels[i + 3] = Math.round((pixels[i + 3] ?? 0) * (1 - coverage));
}

/** The icon's pixels for `icon`, from the app icon's (`base`, square). */
export function trayIconPixels(base: RgbaImage, icon: TrayIcon): Uint8Array {
  const size = base.width;
  const pixels = new Uint8Array(base.pixels);
  if (icon.status === 'signed-out') {
    for (let i = 0; i < pixels.length; i += 4) {
      const grey = Math.round(0.3 * (pixels[i] ?? 0) + 0.59 * (pixels[i + 1] ?? 0) + 0.11 * (pixels[i + 2] ?? 0));
      pixels.set([grey, grey, grey, Math.round((pixels[i + 3] ?? 0) * 0.6)], i);
    }
    return pixels;
  }
  const { status, unread, ring } = dotGeometry(size);
  const dots = [{ ...status, colour: STATUS_COLOURS[icon.status] }];
  if (icon.unread) dots.push({ ...unread, colour: BADGE_RED });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      for (const dot of dots) {
        cut(pixels, i, discCoverage(x, y, dot.cx, dot.cy, dot.r + ring));
        paint(pixels, i, dot.colour, discCoverage(x, y, dot.cx, dot.cy, dot.r));
      }
      // Do not disturb: a white bar across its dot, as Teams draws it.
      const dx = Math.abs(x + 0.5 - status.cx);
      const dy = Math.abs(y + 0.5 - status.cy);
      if (icon.status === 'dnd' && dx < status.r * 0.55 && dy < Math.max(0.75, status.r * 0.18))
        paint(pixels, i, WHITE, 1);
    }
  }
  return pixels;
}

/** The tray's icon for `icon` as a PNG, the size of the app icon it is drawn from. */
export function trayIconPng(base: RgbaImage, icon: TrayIcon): Buffer {
  return encodePng(trayIconPixels(base, icon), base.width, base.height);
}
