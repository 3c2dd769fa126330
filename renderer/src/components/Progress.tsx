/** Progress of a seal or open job: bar, bytes, rate, time left, and cancel. */
import { formatBytes, formatDuration } from '../format.js';

export interface JobProgressState {
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
}

export function Progress({
  label,
  progress,
  onCancel,
}: {
  label: string;
  progress: JobProgressState;
  onCancel: () => void;
}) {
  const left = progress.bytesPerSecond > 0 ? (progress.bytesTotal - progress.bytesDone) / progress.bytesPerSecond : NaN;
  return (
    <section className="progress" aria-label={label}>
      <progress max={Math.max(progress.bytesTotal, 1)} value={progress.bytesDone} aria-label={label} />
      <p aria-live="polite">
        {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}
        {progress.bytesPerSecond > 0 && ` · ${formatBytes(progress.bytesPerSecond)}/s · ${formatDuration(left)} left`}
      </p>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
