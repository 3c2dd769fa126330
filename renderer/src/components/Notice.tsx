/**
 * Error, warning and success messages, announced to screen readers (alert or status). A notice
 * that answers what the reader just did (`focus`) also takes the focus and scrolls into view, so
 * that the result is where the reader is, never the page body or somewhere off-screen.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Notice({
  kind,
  children,
  focus = false,
}: {
  kind: 'error' | 'warning' | 'success' | 'info';
  children: ReactNode;
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // On showing, and when a plain-text message changes in place; never on a mere re-render.
  const text = typeof children === 'string' ? children : null;
  useEffect(() => {
    if (!focus || !ref.current) return;
    ref.current.focus({ preventScroll: true });
    ref.current.scrollIntoView?.({ block: 'nearest' });
  }, [focus, text]);
  return (
    <div
      ref={ref}
      className={`notice notice-${kind}`}
      role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}
      tabIndex={focus ? -1 : undefined}
    >
      {children}
    </div>
  );
}
