/**
 * The image under the pointer while a package is dragged out of the window
 * into a mail client or a folder (webContents.startDrag needs one; macOS
 * refuses an empty image). A 32×32 PNG, embedded so no file lookup can fail.
 */
export const DRAG_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAM0lEQVR42u3OMQ0AQAjAQJzg40XhfwMXD8M16X4RulS+6h8DAAAAAAAAAAAAAADcBWijATf4rxW50s7kAAAAAElFTkSuQmCC';
