/**
 * Follows one seal/open job through its progress and finished events. A job
 * can finish before the screen knows its id (a damaged package fails within
 * milliseconds, before the answer to open.start has been applied), so the
 * finished events are remembered from the start and a late follower still
 * gets its job's.
 */
import { useEffect, useState } from 'react';
import type { EventOf } from '../../main/ipc/contract.js';
import { on } from './api.js';
import type { JobProgressState } from './components/Progress.js';

type Finished = EventOf<'job.finished'>;

/** The latest finished events, by job id (a few are enough: one screen follows one job at a time). */
const recentlyFinished = new Map<string, Finished>();
const REMEMBERED = 20;
let listening = false;

function rememberFinishedJobs(): void {
  if (listening) return;
  listening = true;
  on('job.finished', (event) => {
    recentlyFinished.set(event.jobId, event);
    while (recentlyFinished.size > REMEMBERED) recentlyFinished.delete(recentlyFinished.keys().next().value!);
  });
}

export function useJob(jobId: string | null) {
  rememberFinishedJobs();
  const [progress, setProgress] = useState<JobProgressState | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);
  useEffect(() => {
    setProgress(null);
    setFinished(jobId ? (recentlyFinished.get(jobId) ?? null) : null);
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
