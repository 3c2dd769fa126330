/**
 * Where files from the desktop are dropped: the window never opens a dropped file itself, and
 * the screen gets the File objects to hand to main (api.ts `registerDropped`).
 */
import type { ReactNode } from 'react';

export function DropZone({ onFiles, children }: { onFiles: (files: File[]) => void; children: ReactNode }) {
  return (
    <div
      className="dropzone"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        onFiles(Array.from(event.dataTransfer.files));
      }}
    >
      {children}
    </div>
  );
}
