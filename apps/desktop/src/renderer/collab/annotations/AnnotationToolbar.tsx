import { useCallback, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAnnotationActions, useAnnotations } from './AnnotationsContext.tsx';
import { BOARD_TOOLS, canDraw, isModerator, TOOLS, type Tool } from './model.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/locales/en.ts';

const TOOL_LABEL: Readonly<Record<Tool, MessageId>> = {
  pen: 'collab.tool.pen',
  highlighter: 'collab.tool.highlighter',
  arrow: 'collab.tool.arrow',
  rectangle: 'collab.tool.rectangle',
  ellipse: 'collab.tool.ellipse',
  text: 'collab.tool.text',
  sticky: 'collab.tool.sticky',
  eraser: 'collab.tool.eraser',
};

/** Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) and Escape while drawing, wherever focus is but in a text field. */
function useDrawingKeys(active: boolean, onEscape: () => void): void {
  const actions = useAnnotationActions();
  useEffect(() => {
    if (!active) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      const key = e.key.toLowerCase();
      const command = e.ctrlKey || e.metaKey;
      if (command && key === 'z' && !e.shiftKey) actions.undo();
      else if (command && ((key === 'z' && e.shiftKey) || key === 'y')) actions.redo();
      else if (key === 'escape') onEscape();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, actions, onEscape]);
}

/** The tools as a radio group, undo/redo of one's own drawing, clear mine, and clear all for moderators. */
export function DrawingTools({ tools }: { readonly tools: readonly Tool[] }) {
  const t = useT();
  const state = useAnnotations(
    useShallow((s) => ({
      moderator: isModerator(s),
      tool: s.tool,
      canUndo: s.history.undo.length > 0,
      canRedo: s.history.redo.length > 0,
    })),
  );
  const actions = useAnnotationActions();
  return (
    <>
      <div role="radiogroup" aria-label={t('collab.tool')} className="annotation-tools">
        {tools.map((tool) => (
          <button
            key={tool}
            type="button"
            role="radio"
            aria-checked={state.tool === tool}
            className="chip"
            onClick={() => actions.setTool(tool)}
          >
            {t(TOOL_LABEL[tool])}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="button"
        disabled={!state.canUndo}
        aria-keyshortcuts="Control+Z"
        onClick={actions.undo}
      >
        {t('collab.undo')}
      </button>
      <button
        type="button"
        className="button"
        disabled={!state.canRedo}
        aria-keyshortcuts="Control+Shift+Z"
        onClick={actions.redo}
      >
        {t('collab.redo')}
      </button>
      <button type="button" className="button" onClick={actions.clearMine}>
        {t('collab.clearMine')}
      </button>
      {state.moderator ? (
        <button type="button" className="button" onClick={actions.clearAll}>
          {t('collab.clearAll')}
        </button>
      ) : null}
    </>
  );
}

/** The whiteboard's tools: always drawing (Escape goes back to the pen), with sticky notes. */
export function BoardTools() {
  const { setTool } = useAnnotationActions();
  useDrawingKeys(
    true,
    useCallback(() => setTool('pen'), [setTool]),
  );
  return <DrawingTools tools={BOARD_TOOLS} />;
}

/**
 * Annotation controls while someone shares a screen: start/stop annotating, the tools, undo/redo
 * of one's own strokes (also Ctrl+Z / Ctrl+Shift+Z), clear mine, clear all for moderators, and
 * for the sharer the switch that lets others draw.
 */
export function AnnotationToolbar() {
  const t = useT();
  const state = useAnnotations(
    useShallow((s) => ({
      sharing: s.policy !== null,
      isSharer: s.policy?.sharerId === s.selfId,
      allowed: s.policy?.allowed ?? false,
      drawable: canDraw(s),
      tool: s.tool,
    })),
  );
  const actions = useAnnotationActions();
  const { setTool } = actions;
  const active = state.drawable && state.tool !== null;
  useDrawingKeys(
    active,
    useCallback(() => setTool(null), [setTool]),
  );

  if (!state.sharing) return null;
  return (
    <div className="annotation-toolbar" role="toolbar" aria-label={t('collab.annotation')}>
      <button
        type="button"
        className="button"
        aria-pressed={active}
        disabled={!state.drawable}
        onClick={() => setTool(active ? null : 'pen')}
      >
        {t(active ? 'collab.annotate.stop' : 'collab.annotate')}
      </button>
      {state.drawable ? null : <span className="annotation-note">{t('collab.annotate.off')}</span>}
      {active ? <DrawingTools tools={TOOLS} /> : null}
      {state.isSharer ? (
        <label className="annotation-allow">
          <input type="checkbox" checked={state.allowed} onChange={(e) => actions.setAllowed(e.target.checked)} />
          {t('collab.allowOthers')}
        </label>
      ) : null}
    </div>
  );
}
