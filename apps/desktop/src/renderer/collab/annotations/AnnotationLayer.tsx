import { useParticipants } from '@livekit/components-react';
import { annotations } from '@tandem/shared';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { authorColor } from './authorColor.ts';
import { useAnnotationActions, useAnnotations } from './AnnotationsContext.tsx';
import { draftElement, extendDraft, isDrawingTool, movedCursor, startDraft, STROKE, type Draft } from './drafts.ts';
import { canDraw, type Tool } from './model.ts';
import { shapeOf } from './shapes.ts';
import { ShapeView } from './ShapeView.tsx';
import '../collab.css';
import { useT } from '../../i18n/useT.ts';

/** Text size as a fraction of the frame height: readable on a 1080p screen. */
const FONT = 0.035;
/** Where the keyboard's cursor starts: the middle of the frame. */
const CURSOR_START: annotations.NormalizedPoint = [0.5, 0.5];
/** A sticky note's side and its text, as fractions of the frame height. */
const STICKY = { side: 0.22, font: 0.028 } as const;

/** Where text or a sticky note is being written, before it becomes an element. */
type Writing = { readonly kind: 'text' | 'sticky'; readonly at: annotations.NormalizedPoint };

/** The element's size, following resizes of whichever node is mounted now. */
function useBoxSize(host: HTMLElement | null): annotations.Size {
  const [size, setSize] = useState<annotations.Size>({ width: 0, height: 0 });
  useEffect(() => {
    if (host === null) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry !== undefined) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(host);
    return () => observer.disconnect();
  }, [host]);
  return size;
}

/** The size of the frame the video element shows (none: null host), following resolution changes of the share. */
function useVideoFrameSize(host: HTMLElement | null): annotations.Size {
  const [size, setSize] = useState<annotations.Size>({ width: 0, height: 0 });
  useEffect(() => {
    const video = host?.parentElement?.querySelector('video');
    if (video === null || video === undefined) return;
    const update = () => setSize({ width: video.videoWidth, height: video.videoHeight });
    update();
    video.addEventListener('resize', update);
    video.addEventListener('loadedmetadata', update);
    return () => {
      video.removeEventListener('resize', update);
      video.removeEventListener('loadedmetadata', update);
    };
  }, [host]);
  return size;
}

/** The keyboard's cursor: a cross in one's own colour, with a dark outline to stand out on any board. */
function KeyboardCursor({ at, color }: { readonly at: annotations.PixelPoint; readonly color: string }) {
  const arm = 10;
  return (
    // Not hit by the eraser's look-up of what lies under the cursor.
    <g className="annotation-key-cursor" pointerEvents="none" aria-hidden="true">
      {[3, 1.5].map((width, i) => (
        <path
          key={width}
          d={`M${at.x - arm},${at.y}H${at.x + arm}M${at.x},${at.y - arm}V${at.y + arm}`}
          stroke={i === 0 ? '#000' : color}
          strokeWidth={width}
        />
      ))}
    </g>
  );
}

/**
 * Drawings over a shared screen, in an SVG laid over the tile's video. Geometry is normalised to
 * the video frame and mapped through the letterbox of `object-fit: contain`, so a stroke covers
 * the same part of the screen in every window. SVG rather than a bitmap canvas: each element is a
 * node, so hovering shows its author and the eraser finds what it touches without hit-testing maths.
 *
 * The whiteboard draws with this layer too: it passes its own fixed `frame` (there is no video)
 * and its `label`. With the text or sticky tool, Enter on the focused layer starts writing in the
 * middle of the frame, so both work from the keyboard alone.
 */
export function AnnotationLayer({
  sharerId,
  frame: fixedFrame,
  label,
}: {
  readonly sharerId: string;
  /** The frame drawn on, when it is not a sibling video's (the whiteboard's). */
  readonly frame?: annotations.Size;
  /** The layer's accessible name (the element count is added): the share's by default. */
  readonly label?: (count: number) => string;
}) {
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const box = useBoxSize(host);
  const videoFrame = useVideoFrameSize(fixedFrame === undefined ? host : null);
  const frame = fixedFrame ?? videoFrame;
  const painted = annotations.containedRect(frame, { left: 0, top: 0, width: box.width, height: box.height });
  const { selfId, tool, drawable, policySharer } = useAnnotations(
    useShallow((s) => ({ selfId: s.selfId, tool: s.tool, drawable: canDraw(s), policySharer: s.policy?.sharerId })),
  );
  const elements = useAnnotations(useShallow((s) => annotations.paintOrder(s.scene)));
  const pointers = useAnnotations((s) => s.pointers);
  const actions = useAnnotationActions();
  const t = useT();
  const participants = useParticipants();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [writing, setWriting] = useState<Writing | null>(null);
  const [text, setText] = useState('');
  const pendingText = useRef<Writing | null>(null);
  /** The keyboard's cursor: shown while the layer has focus, where Enter draws or writes. */
  const [cursor, setCursor] = useState<annotations.NormalizedPoint | null>(null);
  const [focused, setFocused] = useState(false);
  const hintId = useId();

  if (policySharer !== sharerId) return null;
  const active: Tool | null = drawable ? tool : null;
  const nameOf = (identity: string) =>
    identity === selfId
      ? t('chat.reaction.you')
      : (participants.find((p) => p.identity === identity)?.name ?? identity);
  const color = authorColor(selfId);
  // Measured at the event rather than taken from the last render, so a resize that has not
  // re-rendered yet cannot misplace a point.
  const at = (e: PointerEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const now = annotations.containedRect(frame, { left: 0, top: 0, width: rect.width, height: rect.height });
    return { pixel: { x: e.clientX - rect.left, y: e.clientY - rect.top }, painted: now };
  };
  const normalized = (e: PointerEvent) => {
    const { pixel, painted: now } = at(e);
    return annotations.toNormalized(pixel, now);
  };
  const clamped = (e: PointerEvent) => {
    const { pixel, painted: now } = at(e);
    return annotations.toNormalizedClamped(pixel, now);
  };
  /** Erases the element drawn at a point of the page, if any. */
  const eraseAt = (clientX: number, clientY: number) => {
    const id = document
      .elementFromPoint(clientX, clientY)
      ?.closest('[data-element-id]')
      ?.getAttribute('data-element-id');
    if (id !== null && id !== undefined) actions.erase([id]);
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (active === null || e.button !== 0) return;
    const point = normalized(e);
    if (point === null) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    if (isDrawingTool(active)) setDraft(startDraft(active, point));
    // Opened on pointer up: the press itself moves focus and would blur the field at once.
    else if (active === 'text' || active === 'sticky') pendingText.current = { kind: active, at: point };
    else eraseAt(e.clientX, e.clientY);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (active === null) return;
    actions.point(normalized(e));
    if (active === 'eraser' && e.buttons === 1) eraseAt(e.clientX, e.clientY);
    if (draft !== null) setDraft(extendDraft(draft, clamped(e)));
  };
  const onPointerUp = () => {
    if (draft !== null) actions.draw(draftElement(draft, color));
    setDraft(null);
    if (pendingText.current !== null) {
      setWriting(pendingText.current);
      setText('');
      pendingText.current = null;
    }
  };
  /**
   * The keyboard draws too (WCAG 2.1.1): a cursor starts in the middle, the arrow keys move it
   * (Shift: larger steps), Enter or Space starts a line or shape there and finishes it, Escape
   * drops it; with text or a sticky note Enter writes at the cursor, with the eraser it erases
   * what is under it.
   */
  const onLayerKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (active === null) return;
    const at = cursor ?? CURSOR_START;
    const moved = movedCursor(at, e.key, e.shiftKey);
    if (moved !== null) {
      e.preventDefault();
      setCursor(moved);
      actions.point(moved);
      if (draft !== null) setDraft(extendDraft(draft, moved));
      return;
    }
    if (e.key === 'Escape' && draft !== null) {
      // Only the mark in progress goes; the next Escape leaves the tool as usual.
      e.preventDefault();
      e.stopPropagation();
      setDraft(null);
      return;
    }
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    setCursor(at);
    if (isDrawingTool(active)) {
      if (draft === null) setDraft(startDraft(active, at));
      else {
        actions.draw(draftElement(draft, color));
        setDraft(null);
      }
    } else if (active === 'text' || active === 'sticky') {
      setWriting({ kind: active, at });
      setText('');
    } else {
      const pixel = annotations.toPixels(at, painted);
      const rect = e.currentTarget.getBoundingClientRect();
      eraseAt(rect.left + pixel.x, rect.top + pixel.y);
    }
  };
  const commitText = () => {
    const written = text.trim();
    if (writing !== null && written !== '')
      actions.draw(
        writing.kind === 'text'
          ? { kind: 'text', color, strokeWidth: STROKE, fontSize: FONT, at: writing.at, text: written }
          : {
              kind: 'sticky',
              color,
              strokeWidth: STROKE,
              fontSize: STICKY.font,
              side: STICKY.side,
              at: writing.at,
              text: written,
            },
      );
    setWriting(null);
  };
  // Enter writes; on a sticky note Shift+Enter starts a new line.
  const onTextKey = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !(writing?.kind === 'sticky' && e.shiftKey)) {
      e.preventDefault();
      commitText();
    }
    if (e.key === 'Escape') setWriting(null);
  };
  const textPixel = writing === null ? null : annotations.toPixels(writing.at, painted);
  const field = {
    ref: (input: HTMLInputElement | HTMLTextAreaElement | null) => input?.focus({ preventScroll: true }),
    value: text,
    maxLength: annotations.MAX_TEXT_LENGTH,
    onChange: (e: { readonly target: { readonly value: string } }) => setText(e.target.value),
    onKeyDown: onTextKey,
    onBlur: commitText,
  };

  return (
    <div className="annotation-layer" ref={setHost} data-tool={active ?? 'none'}>
      <svg
        className="annotation-svg"
        width={box.width}
        height={box.height}
        // With a tool it takes keys of its own (arrows, Enter, Space): an application, not a picture.
        role={active === null ? 'img' : 'application'}
        aria-label={label?.(elements.length) ?? t('collab.annotations.shared', { count: elements.length })}
        aria-describedby={active === null ? undefined : hintId}
        tabIndex={active === null ? undefined : 0}
        onKeyDown={onLayerKey}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        data-frame={[painted.left, painted.top, painted.width, painted.height].join(',')}
        data-frame-size={`${frame.width}x${frame.height}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => active !== null && actions.point(null)}
      >
        {painted.width > 0
          ? elements.map((element) => (
              <g key={element.id} data-element-id={element.id} data-author={element.authorId} data-kind={element.kind}>
                <title>{t('collab.annotations.by', { kind: element.kind, name: nameOf(element.authorId) })}</title>
                <ShapeView shape={shapeOf(element, painted)} color={element.color} />
              </g>
            ))
          : null}
        {draft !== null && painted.width > 0 ? (
          <g className="annotation-draft" aria-hidden="true">
            <ShapeView shape={shapeOf(draftElement(draft, color), painted)} color={color} />
          </g>
        ) : null}
        {focused && active !== null && painted.width > 0 ? (
          <KeyboardCursor at={annotations.toPixels(cursor ?? CURSOR_START, painted)} color={color} />
        ) : null}
        {[...pointers].map(([identity, pointer]) => {
          if ('hidden' in pointer) return null;
          const at = annotations.toPixels(pointer.at, painted);
          return (
            <g key={identity} className="annotation-pointer" data-pointer={identity}>
              <circle cx={at.x} cy={at.y} r={6} fill={pointer.color} stroke="#000" strokeWidth={1} />
              <text x={at.x + 10} y={at.y + 4} fontSize={12} fill={pointer.color}>
                {nameOf(identity)}
              </text>
            </g>
          );
        })}
      </svg>
      {active === null ? null : (
        <p id={hintId} className="visually-hidden">
          {t('collab.annotations.keyboard')}
        </p>
      )}
      {textPixel === null || writing === null ? null : writing.kind === 'text' ? (
        <input
          className="annotation-text-input"
          aria-label={t('collab.annotations.text')}
          style={{ left: textPixel.x, top: textPixel.y, color }}
          {...field}
        />
      ) : (
        <textarea
          className="annotation-sticky-input"
          aria-label={t('collab.annotations.sticky')}
          style={{
            left: textPixel.x,
            top: textPixel.y,
            width: annotations.lengthToPixels(STICKY.side, painted),
            height: annotations.lengthToPixels(STICKY.side, painted),
            background: color,
          }}
          {...field}
        />
      )}
    </div>
  );
}
