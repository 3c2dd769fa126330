/**
 * Once a package is sealed it is delivered at once through every exchange that reaches a
 * recipient; the answer (delivered, unreached, notices, problems) belongs to that job only,
 * so "Send another" shows none of it.
 */
import { useEffect, useState } from 'react';
import { call, type AnswerOf } from '../../api.js';

type Delivery = AnswerOf<'seal.deliver'>;

export function useDelivery(sealedJobId: string | null, fail: (caught: unknown) => void): Delivery | null {
  const [delivery, setDelivery] = useState<{ jobId: string; answer: Delivery } | null>(null);
  useEffect(() => {
    if (!sealedJobId) return;
    call('seal.deliver', { jobId: sealedJobId }).then((answer) => setDelivery({ jobId: sealedJobId, answer }), fail);
  }, [sealedJobId, fail]);
  return delivery?.jobId === sealedJobId ? delivery.answer : null;
}
