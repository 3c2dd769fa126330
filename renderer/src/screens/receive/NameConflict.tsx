/**
 * The folder chosen already has files of the package's names: they are named, nothing is saved
 * or replaced yet, and the reader keeps both or chooses another folder. The question takes the
 * focus: it is where the reader's attention goes.
 */
import { Notice } from '../../components/Notice.js';
import { useFocusOn } from '../../useFocusOn.js';
import type { NameConflict as Conflict, Preview } from './receiveState.js';

export function NameConflict(props: {
  conflict: Conflict;
  files: Preview['files'];
  onKeepBoth: () => void;
  onChooseAnother: () => void;
}) {
  const { conflict, files } = props;
  const question = useFocusOn<HTMLDivElement>(conflict);
  return (
    <div className="conflict" ref={question} tabIndex={-1} role="group" aria-labelledby="conflict-title">
      <Notice kind="warning">
        <strong id="conflict-title">
          The folder “{conflict.folder}” already has {conflict.files.length === 1 ? 'a file' : 'files'} of the same
          name:
        </strong>
        <ul>
          {conflict.files.map((file) => (
            <li key={file.index}>
              “{files[file.index]?.name}”{file.keptAs ? ` — keeping both saves the new one as “${file.keptAs}”` : ''}
            </li>
          ))}
        </ul>
        Nothing was saved yet, and nothing there will be replaced.
      </Notice>
      <div className="row">
        <button type="button" onClick={props.onKeepBoth}>
          Keep both
        </button>
        <button type="button" className="secondary" onClick={props.onChooseAnother}>
          Choose another folder…
        </button>
      </div>
    </div>
  );
}
