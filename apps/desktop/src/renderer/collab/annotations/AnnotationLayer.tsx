import { useParticipants } from '@livekit/components-react';
import { annotations } from '@tandem/shared';
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { authorColor } from './authorColor.ts';
import { useAnnotationActions, useAnnotations } from './AnnotationsContext.tsx';
import { canDraw, type Tool } from './model.ts';
import { shapeOf } from './shapes.ts';
import { ShapeView } from './ShapeView.tsx';
import '../collab.css';
import { useT } from '../../i18n/useT.ts';

/** Line width and text size as fractions of the frame height: readable on a 1080p screen. */
const STROKE = 0.004;
const FONT = 0.035;
/** A sticky note's side and its text, as fractions of the frame height. */
const STICKY = { side: 0.22, font: 0.028 } as const;

/** Where text or a sticky note is being written, before it becomes an element. */
type Writing = { readonly kind: 'text' | 'sticky'; readonly at: annotations.NormalizedPoint };

type Draft =
  | { readonly tool: 'pen' | 'highlighter'; readonly points: readonly annotations.NormalizedPoint[] }
  | {
      readonly tool: 'arrow' | 'rectangle' | 'ellipse';
      readonly from: annotations.NormalizedPoint;
      readonly to: annotations.NormalizedPoint;
    };

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

function draftElement(draft: Draft, color: string): annotations.ElementDraft {
  const common = { color, strokeWidth: STROKE };
  switch (draft.tool) {
    case 'pen':
    case 'highlighter':
      return { ...common, kind: draft.tool, points: draft.points };
    case 'arrow':
    case 'rectangle':
    case 'ellipse':
      return { ...common, kind: draft.tool, from: draft.from, to: draft.to };
    default: {
      const never: never = draft;
      throw new Error(`unknown draft ${String(never)}`);
    }
  }
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
  const eraseUnder = (e: PointerEvent) => {
    const id = document
      .elementFromPoint(e.clientX, e.clientY)
      ?.closest('[data-element-id]')
      ?.getAttribute('data-element-id');
    if (id !== null && id !== undefined) actions.erase([id]);
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (active === null || e.button !== 0) return;
    const point = normalized(e);
    if (point === null) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    switch (active) {
      case 'pen':
      case 'highlighter':
        setDraft({ tool: active, points: [point] });
        break;
      case 'arrow':
      case 'rectangle':
      case 'ellipse':
        setDraft({ tool: active, from: point, to: point });
        break;
      case 'text':
      case 'sticky':
        // Opened on pointer up: the press itself moves focus and would blur the field at once.
        pendingText.current = { kind: active, at: point };
        break;
      case 'eraser':
        eraseUnder(e);
        break;
      default: {
        const never: never = active;
        throw new Error(`unknown tool ${String(never)}`);
      }
    }
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (active === null) return;
    actions.point(normalized(e));
    if (active === 'eraser' && e.buttons === 1) eraseUnder(e);
    if (draft === null) return;
    const point = clamped(e);
    setDraft('points' in draft ? { ...draft, points: [...draft.points, point] } : { ...draft, to: point });
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
  const onLayerKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.key !== 'Enter' || (active !== 'text' && active !== 'sticky')) return;
    e.preventDefault();
    setWriting({ kind: active, at: [0.4, 0.4] });
    setText('');
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
        role="img"
        aria-label={label?.(elements.length) ?? t('collab.annotations.shared', { count: elements.length })}
        tabIndex={active === 'text' || active === 'sticky' ? 0 : undefined}
        onKeyDown={onLayerKey}
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
