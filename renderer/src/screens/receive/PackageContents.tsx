/** What a package holds, as its header says before anything is saved: its subject, when it was sealed, for how many, who else can open it, its files and the note. */
import { FileList } from '../../components/FileList.js';
import { formatDate } from '../../format.js';
import { emergencyAccessText } from '../../../../main/texts/protection-texts.js';
import type { Preview } from './receiveState.js';

export function PackageContents({ preview }: { preview: Preview }) {
  return (
    <>
      {preview.subject !== null && (
        <p className="subject">
          <span className="muted">Subject:</span> {preview.subject}
        </p>
      )}
      <p className="muted">
        Sealed {formatDate(preview.createdAt)} · {preview.recipientCount} recipient(s)
      </p>
      {preview.emergencyAccess && <p className="emergency-access">{emergencyAccessText(preview.emergencyAccess)}</p>}
      <h3>Files</h3>
      <FileList
        label="Files in the package"
        files={preview.files.map((file, index) => ({ key: String(index), name: file.name, size: file.size }))}
      />
      {preview.note && (
        <>
          <h3>Note</h3>
          <p className="note">{preview.note}</p>
        </>
      )}
    </>
  );
}
