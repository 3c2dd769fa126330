/**
 * The contact cards that came by e-mail, for Contacts: looked at when the screen opens and when
 * main's inbox poll says how many wait has changed (`exchange.cardsOffered`; none left empties the
 * list without a look), never on a timer of its own. An offer imported here leaves the list at
 * once; an answer to a look that started before is dropped, so it cannot bring it back. A look
 * that fails keeps its words for the list to show: the reader did not ask for it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, on, type AnswerOf } from '../../api.js';
import { useAction, type ActionFailure } from '../../useAction.js';

type Offers = AnswerOf<'contacts.offers'>;
export type CardOffer = Offers['offers'][number];

export interface CardOffers {
  /** null until the first look answered. */
  readonly found: Offers | null;
  /** Why the last look failed, or null. */
  readonly problem: ActionFailure | null;
  /** Looks at the mailbox again. */
  look(): void;
  /** An offer was imported (its message archived): it leaves the list. */
  taken(id: string): void;
}

export function useCardOffers(): CardOffers {
  const [found, setFound] = useState<Offers | null>(null);
  const { error, fail, clear } = useAction();
  /** The latest look (or import): only its answer counts. */
  const latest = useRef(0);
  const look = useCallback(() => {
    const mine = ++latest.current;
    call('contacts.offers', {}).then(
      (answer) => {
        if (mine !== latest.current) return;
        clear();
        setFound(answer);
      },
      (caught: unknown) => {
        if (mine === latest.current) fail(caught);
      },
    );
  }, [clear, fail]);
  useEffect(look, [look]);
  useEffect(
    () =>
      on('exchange.cardsOffered', (event) => {
        if (event.count > 0) return look();
        latest.current++;
        setFound((shown) => shown && { ...shown, offers: [] });
      }),
    [look],
  );
  const taken = useCallback((id: string) => {
    latest.current++;
    setFound((shown) => shown && { ...shown, offers: shown.offers.filter((offer) => offer.id !== id) });
  }, []);
  return { found, problem: error, look, taken };
}
