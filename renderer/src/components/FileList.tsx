/**
 * The files of a package, however many: a count and the total size first, every name in full
 * (wrapped, never cut off at a fixed width), and a long list scrolling within itself so that
 * the recipients and the buttons below it stay in reach.
 */
import { formatBytes } from '../format.js';

export interface ListedFile {
  readonly key: string;
  readonly name: string;
  readonly size: number;
}

/** More files than this scroll inside the list instead of pushing the page down. */
const SCROLL_AFTER = 8;

export function FileList({
  label,
  files,
  onRemove,
}: {
  label: string;
  files: readonly ListedFile[];
  onRemove?: (file: ListedFile) => void;
}) {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const list = (
    <ul className="file-list" aria-label={label}>
      {files.map((file) => (
        <li key={file.key}>
          <span className="file-name">{file.name}</span>{' '}
          <span className="muted file-size">{formatBytes(file.size)}</span>
          {onRemove && (
            <button type="button" className="link" onClick={() => onRemove(file)} aria-label={`Remove ${file.name}`}>
              Remove
            </button>
          )}
        </li>
      ))}
    </ul>
  );
  return (
    <>
      <p className="file-summary">
        {files.length === 1 ? '1 file' : `${files.length} files`} · {formatBytes(total)} in all
      </p>
      {files.length > SCROLL_AFTER ? (
        // A scrolling region must be reachable by keyboard (WCAG 2.1.1): focusable, and named.
        <div className="file-scroll" role="region" aria-label={`${label}: ${files.length} files, scrolls`} tabIndex={0}>
          {list}
        </div>
      ) : (
        list
      )}
    </>
  );
}
