/**
 * The one way a screen runs what the reader asked for, so that every screen shows progress and
 * errors alike: while an action runs the screen can say so (`busy`, and `progress`, the words the
 * action gave for itself); when it fails, its error is kept typed (the AppError's code and
 * category, for the few cases a screen answers differently) with the shared words for people
 * (api.ts `messageOf`), for ActionError to show and to focus. What a screen loads or does on its
 * own (a list, a reveal) reports its failure through `fail`, into the same place: no error is
 * dropped, and none is worded twice.
 */
import { useCallback, useReducer, useRef } from 'react';
import { AppError, messageOf } from './api.js';

export interface ActionFailure {
  /** The plain words for people: main's message, or the shared text for an error main did not word. */
  readonly text: string;
  /** The AppError's code and category; null for an error that did not come from main. */
  readonly code: string | null;
  readonly category: string | null;
}

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ActionFailure };

export function failureOf(caught: unknown): ActionFailure {
  if (caught instanceof AppError) return { text: caught.message, code: caught.code, category: caught.category };
  console.error(caught); // not one of main's errors: a renderer bug; people get the shared text, developers the reason
  return { text: messageOf(caught), code: null, category: null };
}

interface Running {
  readonly id: number;
  readonly progress: string | null;
}
interface State {
  readonly running: readonly Running[];
  readonly error: ActionFailure | null;
}
type Event =
  | { readonly type: 'started'; readonly run: Running }
  | { readonly type: 'ended'; readonly id: number; readonly error: ActionFailure | null }
  | { readonly type: 'failed'; readonly error: ActionFailure }
  | { readonly type: 'cleared' };

function reduce(state: State, event: Event): State {
  switch (event.type) {
    case 'started': // a new action answers the reader: the last one's error is no longer the news
      return { running: [...state.running, event.run], error: null };
    case 'ended':
      return {
        running: state.running.filter((run) => run.id !== event.id),
        error: event.error ?? state.error,
      };
    case 'failed':
      return { ...state, error: event.error };
    case 'cleared':
      return { ...state, error: null };
  }
}

export interface Action {
  /** Some action is running. */
  readonly busy: boolean;
  /** What the latest running action that gave words for its progress is doing ("Unlocking…"), or null. */
  readonly progress: string | null;
  /** The last failure, until the next action starts or the screen clears it. */
  readonly error: ActionFailure | null;
  /** Runs `work` as the reader's action: clears the last error, shows `progress` while it runs, keeps its failure. */
  run<T>(work: () => Promise<T>, progress?: string): Promise<Outcome<T>>;
  /** Shows a failure of something the screen did on its own (a rejection handler: `.then(show, fail)`). */
  fail(caught: unknown): void;
  /** The error is answered some other way (the reader went on). */
  clear(): void;
}

export function useAction(): Action {
  const [state, dispatch] = useReducer(reduce, { running: [], error: null });
  const lastId = useRef(0);
  const run = useCallback(async <T>(work: () => Promise<T>, progress?: string): Promise<Outcome<T>> => {
    const id = ++lastId.current;
    dispatch({ type: 'started', run: { id, progress: progress ?? null } });
    try {
      const value = await work();
      dispatch({ type: 'ended', id, error: null });
      return { ok: true, value };
    } catch (caught) {
      const error = failureOf(caught);
      dispatch({ type: 'ended', id, error });
      return { ok: false, error };
    }
  }, []);
  const fail = useCallback((caught: unknown) => dispatch({ type: 'failed', error: failureOf(caught) }), []);
  const clear = useCallback(() => dispatch({ type: 'cleared' }), []);
  const worded = state.running.filter((running) => running.progress !== null);
  return {
    busy: state.running.length > 0,
    progress: worded.at(-1)?.progress ?? null,
    error: state.error,
    run,
    fail,
    clear,
  };
}
