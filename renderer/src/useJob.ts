/** Follows one seal/open job through its progress and finished events. */
import { useEffect, useState } from 'react';
import type { EventOf } from '../../main/ipc/contract.js';
import { on } from './api.js';
import type { JobProgressState } from './components/Progress.js';

export function useJob(jobId: string | null) {
  const [progress, setProgress] = useState<JobProgressState | null>(null);
  const [finished, setFinished] = useState<EventOf<'job.finished'> | null>(null);
  useEffect(() => {
    setProgress(null);
    setFinished(null);
    if (!jobId) return;
    const stopProgress = on('job.progress', (event) => {
      if (event.jobId === jobId) setProgress(event);
    });
    const stopFinished = on('job.finished', (event) => {
      if (event.jobId === jobId) setFinished(event);
    });
    return () => {
      stopProgress();
      stopFinished();
    };
  }, [jobId]);
  return { progress, finished };
}
