import { annotations } from '@tandem/shared';
import { RoomEvent, Track, type Participant, type RemoteParticipant, type Room } from 'livekit-client';
import { shapeOf } from '../collab/annotations/shapes.ts';
import { chooseLayout, type Layout, type TileInfo } from '../call/layout.ts';
import type { AnnotationReader } from './annotations.ts';
import { paintShape } from './paint.ts';

type Box = annotations.Rect;

/** One tile of the composite: a participant's camera (or name card), or their shared screen. */
type Tile = { readonly key: string; readonly participant: RemoteParticipant; readonly screen: boolean };

const COLORS = {
  background: '#16181d',
  tile: '#2a2d35',
  card: '#3b3f4a',
  text: '#f1f3f5',
  label: 'rgba(0, 0, 0, 0.55)',
  speaking: '#3dd68c',
} as const;
/** The strip under a focused tile, as a share of the height. */
const STRIP_SHARE = 0.2;
const GAP = 8;

/** The frame painted inside `box`, letterboxed like `object-fit: contain`. */
function videoOf(participant: RemoteParticipant, screen: boolean): HTMLVideoElement | undefined {
  const publication = participant.getTrackPublication(screen ? Track.Source.ScreenShare : Track.Source.Camera);
  const track = publication?.track;
  if (track === undefined || publication?.isMuted === true) return undefined;
  const element = track.attachedElements.find((e): e is HTMLVideoElement => e instanceof HTMLVideoElement);
  return element !== undefined && element.videoWidth > 0 ? element : undefined;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

export type Composer = { stop(): void };

/**
 * Paints the call onto `canvas` at `fps`, laid out as the call itself lays it out in speaker view
 * (`call/layout.ts`): a shared screen first, with its annotations, then the most recent speaker,
 * the others in a strip; a grid for a single person. Video elements are kept attached (hidden)
 * for every subscribed video track and drawn from on each frame.
 */
export function startComposer(
  room: Room,
  canvas: HTMLCanvasElement,
  fps: number,
  drawings: AnnotationReader,
): Composer {
  const maybeCtx = canvas.getContext('2d', { alpha: false });
  if (maybeCtx === null) throw new Error('no 2D canvas');
  const ctx: CanvasRenderingContext2D = maybeCtx;
  const { width, height } = canvas;
  const holder = document.createElement('div');
  holder.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;overflow:hidden;opacity:0';
  document.body.append(holder);

  const lastSpokeAt = new Map<string, number>();
  let speaking = new Set<string>();
  const onSpeakers = (speakers: Participant[]) => {
    const now = Date.now();
    speaking = new Set(speakers.map((p) => p.identity));
    for (const identity of speaking) lastSpokeAt.set(identity, now);
  };
  const onSubscribed = (track: Track) => {
    if (track.kind !== Track.Kind.Video) return;
    const element = track.attach() as HTMLVideoElement;
    element.muted = true;
    holder.append(element);
  };
  const onUnsubscribed = (track: Track) => {
    for (const element of track.detach()) element.remove();
  };
  room.on(RoomEvent.ActiveSpeakersChanged, onSpeakers);
  room.on(RoomEvent.TrackSubscribed, onSubscribed);
  room.on(RoomEvent.TrackUnsubscribed, onUnsubscribed);

  let sharerId: string | null = null;

  function tiles(): Tile[] {
    const all: Tile[] = [];
    for (const participant of room.remoteParticipants.values()) {
      all.push({ key: `${participant.identity}:camera`, participant, screen: false });
      if (participant.getTrackPublication(Track.Source.ScreenShare)?.track !== undefined)
        all.push({ key: `${participant.identity}:screen`, participant, screen: true });
    }
    return all;
  }

  function label(box: Box, text: string): void {
    const size = Math.max(12, Math.round(box.height * 0.06));
    ctx.font = `600 ${size}px system-ui, sans-serif`;
    const padding = size * 0.4;
    const textWidth = Math.min(ctx.measureText(text).width, box.width - 4 * padding);
    ctx.fillStyle = COLORS.label;
    ctx.fillRect(
      box.left + padding,
      box.top + box.height - size - 3 * padding,
      textWidth + 2 * padding,
      size + 2 * padding,
    );
    ctx.fillStyle = COLORS.text;
    ctx.textBaseline = 'top';
    ctx.fillText(text, box.left + 2 * padding, box.top + box.height - size - 2 * padding, textWidth);
  }

  function paintTile(tile: Tile, box: Box, main: boolean): void {
    ctx.fillStyle = COLORS.tile;
    ctx.fillRect(box.left, box.top, box.width, box.height);
    const name = tile.participant.name || tile.participant.identity;
    const video = videoOf(tile.participant, tile.screen);
    if (video !== undefined) {
      const painted = annotations.containedRect({ width: video.videoWidth, height: video.videoHeight }, box);
      ctx.drawImage(video, painted.left, painted.top, painted.width, painted.height);
      if (tile.screen && main)
        for (const element of drawings.elements()) paintShape(ctx, shapeOf(element, painted), element.color);
    } else {
      const radius = Math.min(box.width, box.height) * 0.18;
      ctx.fillStyle = COLORS.card;
      ctx.beginPath();
      ctx.arc(box.left + box.width / 2, box.top + box.height / 2, radius, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = COLORS.text;
      ctx.font = `600 ${Math.round(radius * 0.8)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(initials(name), box.left + box.width / 2, box.top + box.height / 2);
      ctx.textAlign = 'start';
    }
    label(box, tile.screen ? `${name}'s screen` : name);
    if (!tile.screen && speaking.has(tile.participant.identity)) {
      ctx.strokeStyle = COLORS.speaking;
      ctx.lineWidth = Math.max(2, box.height * 0.012);
      ctx.strokeRect(box.left + 1, box.top + 1, box.width - 2, box.height - 2);
    }
  }

  function paintLayout(layout: Layout, byKey: ReadonlyMap<string, Tile>): void {
    if (layout.kind === 'grid') {
      const tileHeight = (layout.tileWidth * 9) / 16;
      const left = (width - layout.columns * layout.tileWidth) / 2;
      const top = (height - layout.rows * tileHeight) / 2;
      layout.tiles.forEach((key, i) => {
        const tile = byKey.get(key);
        if (tile === undefined) return;
        const box = {
          left: left + (i % layout.columns) * layout.tileWidth + GAP / 2,
          top: top + Math.floor(i / layout.columns) * tileHeight + GAP / 2,
          width: layout.tileWidth - GAP,
          height: tileHeight - GAP,
        };
        paintTile(tile, box, layout.tiles.length === 1);
      });
      return;
    }
    const stripHeight = layout.strip.length === 0 ? 0 : Math.round(height * STRIP_SHARE);
    const main = byKey.get(layout.main);
    if (main !== undefined) paintTile(main, { left: 0, top: 0, width, height: height - stripHeight }, true);
    const stripWidth = (stripHeight * 16) / 9;
    const shown = layout.strip.slice(0, Math.max(0, Math.floor(width / stripWidth)));
    const left = (width - shown.length * stripWidth) / 2;
    shown.forEach((key, i) => {
      const tile = byKey.get(key);
      if (tile === undefined) return;
      const box = {
        left: left + i * stripWidth + GAP / 2,
        top: height - stripHeight + GAP / 2,
        width: stripWidth - GAP,
        height: stripHeight - GAP,
      };
      paintTile(tile, box, false);
    });
  }

  function frame(): void {
    const all = tiles();
    const sharer = all.find((t) => t.screen)?.participant.identity ?? null;
    if (sharer !== sharerId) {
      sharerId = sharer;
      drawings.setSharer(sharer);
    }
    ctx.fillStyle = COLORS.background;
    ctx.fillRect(0, 0, width, height);
    if (all.length === 0) return;
    const info: TileInfo[] = all.map((t) => ({
      key: t.key,
      isLocal: false,
      isScreenShare: t.screen,
      lastSpokeAt: lastSpokeAt.get(t.participant.identity) ?? 0,
    }));
    paintLayout(chooseLayout(info, 'speaker', undefined, { width, height }), new Map(all.map((t) => [t.key, t])));
  }

  frame();
  const timer = setInterval(frame, Math.round(1000 / fps));
  return {
    stop() {
      clearInterval(timer);
      room.off(RoomEvent.ActiveSpeakersChanged, onSpeakers);
      room.off(RoomEvent.TrackSubscribed, onSubscribed);
      room.off(RoomEvent.TrackUnsubscribed, onUnsubscribed);
      holder.remove();
    },
  };
}
