import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog (the platform's <dialog>: focus moves in and stays in, Escape closes, the page
 * behind is inert). Shown while mounted; `onClose` runs however the user closes it.
 */
export function Modal({
  title,
  onClose,
  children,
}: {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    // Unmounting removes the element, which closes it: no close() here, whose queued `close`
    // event would otherwise reach a dialog shown again by the same effect re-running.
  }, []);
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby={titleId}
      onClose={(e) => {
        if (!e.currentTarget.open) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
