import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BADGE_RED } from './badgeImage.ts';
import { decodePng } from './png.ts';
import type { TrayIcon } from './tray.ts';
import { STATUS_COLOURS, dotGeometry, trayIconPixels, trayIconPng } from './trayImage.ts';

/** The icon the tray is drawn from (electron-builder ships it as tray.png). */
const base = decodePng(fs.readFileSync(path.resolve(import.meta.dirname, '../../../../../resources/icons/32x32.png')));
const size = base.width;
const at = (pixels: Uint8Array, x: number, y: number) => [
  ...pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 4),
];
const { status: statusDot, unread: unreadDot } = dotGeometry(size);
const centre = (dot: { cx: number; cy: number }) => [Math.floor(dot.cx), Math.floor(dot.cy)] as const;

describe('the tray’s icon (drawn from the app icon)', () => {
  it('shows each status as its coloured dot, and the unread dot only while something is unread', () => {
    for (const status of ['available', 'away', 'busy', 'dnd', 'offline'] as const) {
      for (const unread of [false, true]) {
        const pixels = trayIconPixels(base, { status, unread });
        const [sx, sy] = centre(statusDot);
        // Do not disturb's dot has a white bar across its middle: its colour shows just off it.
        expect(at(pixels, sx, status === 'dnd' ? sy + 3 : sy)).toEqual([...STATUS_COLOURS[status], 255]);
        const [ux, uy] = centre(unreadDot);
        expect(at(pixels, ux, uy)).toEqual(unread ? [...BADGE_RED, 255] : at(base.pixels, ux, uy));
      }
    }
    const [sx, sy] = centre(statusDot);
    expect(at(trayIconPixels(base, { status: 'dnd', unread: false }), sx, sy)).toEqual([255, 255, 255, 255]);
  });

  it('sets the dots apart from the icon with a transparent ring, and leaves the rest of the icon as it is', () => {
    const pixels = trayIconPixels(base, { status: 'available', unread: true });
    // Just outside the status dot, towards the icon's middle: cut out.
    const ring = Math.floor(statusDot.cx - statusDot.r - 1);
    expect(at(base.pixels, ring, Math.floor(statusDot.cy))[3]).toBeGreaterThan(0);
    expect(at(pixels, ring, Math.floor(statusDot.cy))[3]).toBeLessThan(128);
    for (const [x, y] of [
      [8, 8],
      [16, 16],
      [6, 24],
    ] as const)
      expect(at(pixels, x, y)).toEqual(at(base.pixels, x, y));
  });

  it('greys and fades the icon without dots when signed out', () => {
    const pixels = trayIconPixels(base, { status: 'signed-out', unread: false });
    for (let i = 0; i < pixels.length; i += 4) {
      expect(pixels[i]).toBe(pixels[i + 1]);
      expect(pixels[i + 1]).toBe(pixels[i + 2]);
      expect(pixels[i + 3]).toBe(Math.round((base.pixels[i + 3] ?? 0) * 0.6));
    }
  });

  it('is a PNG of the app icon’s size, a different one for each state', () => {
    const states: TrayIcon[] = [
      { status: 'signed-out', unread: false },
      ...(['available', 'away', 'busy', 'dnd', 'offline'] as const).flatMap((status) => [
        { status, unread: false },
        { status, unread: true },
      ]),
    ];
    const pngs = states.map((icon) => trayIconPng(base, icon));
    expect(new Set(pngs.map((png) => png.toString('base64'))).size).toBe(states.length);
    const decoded = decodePng(pngs[1] ?? Buffer.alloc(0));
    expect([decoded.width, decoded.height]).toEqual([size, size]);
  });
});
