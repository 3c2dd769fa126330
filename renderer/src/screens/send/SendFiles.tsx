/** The files of the package being written: dropped or chosen, listed with their sizes, each removable. */
import { DropZone } from '../../components/DropZone.js';
import { FileList } from '../../components/FileList.js';
import type { FileRef } from './sendDraft.js';

export function SendFiles(props: {
  files: readonly FileRef[];
  onPick: () => void;
  onDrop: (files: File[]) => void;
  onRemove: (token: string) => void;
}) {
  return (
    <>
      <DropZone onFiles={props.onDrop}>
        <p>Drop files here, or</p>
        <button type="button" onClick={props.onPick}>
          Choose files…
        </button>
      </DropZone>
      {props.files.length === 0 ? (
        <p className="empty">No files yet.</p>
      ) : (
        <FileList
          label="Files to seal"
          files={props.files.map((file) => ({ key: file.token, name: file.name, size: file.size }))}
          onRemove={(removed) => props.onRemove(removed.key)}
        />
      )}
    </>
  );
}
