/**
 * Moves the keyboard focus to what answers the reader when it appears or changes (a result
 * heading, a question, the field to type again), so that after an action the focus is never
 * left on the page body or on a button that is gone. Errors and notices focus themselves
 * (Notice `focus`, ActionError); this is for the other elements.
 */
import { useEffect, useRef } from 'react';

export function useFocusOn<E extends HTMLElement>(key: unknown, { select = false } = {}) {
  const ref = useRef<E>(null);
  useEffect(() => {
    const element = ref.current;
    if (!key || !element) return;
    element.focus();
    if (select && element instanceof HTMLInputElement) element.select(); // to type over
  }, [key, select]);
  return ref;
}
