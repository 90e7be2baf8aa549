import type { ReactNode } from 'react';

/**
 * A status strip announced to screen readers. It is always rendered (empty when there is nothing
 * to say) because live regions only announce changes to a region that already exists.
 */
export function Banner({
  tone,
  children,
}: {
  readonly tone: 'info' | 'warning' | 'error';
  readonly children?: ReactNode;
}) {
  return (
    <div
      className="banner"
      data-tone={tone}
      data-empty={children === undefined || children === null || children === false}
      role="status"
      aria-live="polite"
    >
      {children}
    </div>
  );
}
