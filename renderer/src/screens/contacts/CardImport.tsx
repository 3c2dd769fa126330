/** Importing a partner's contact card: a .medseal-contact file dropped or chosen, or the card's text pasted from an e-mail. */
import type { RefObject } from 'react';
import { DropZone } from '../../components/DropZone.js';

export function CardImport(props: {
  text: string;
  onText: (text: string) => void;
  /** The paste field, for "Import a card" above the list to bring the reader here. */
  field: RefObject<HTMLTextAreaElement | null>;
  onDrop: (file: File) => void;
  onImportText: () => void;
  onImportFile: () => void;
}) {
  return (
    <>
      <h3>Import a contact card</h3>
      <DropZone
        onFiles={(files) => {
          const file = files[0];
          if (file) props.onDrop(file);
        }}
      >
        <p>Drop a .medseal-contact file here</p>
      </DropZone>
      <label htmlFor="card-paste">Paste the card text from an e-mail</label>
      <textarea
        id="card-paste"
        ref={props.field}
        rows={5}
        value={props.text}
        onChange={(event) => props.onText(event.target.value)}
      />
      <div className="row">
        <button type="button" disabled={!props.text.trim()} onClick={props.onImportText}>
          Import pasted card
        </button>
        <button type="button" className="secondary" onClick={props.onImportFile}>
          Import card file…
        </button>
      </div>
    </>
  );
}
