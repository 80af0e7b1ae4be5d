import { exportBoardFile } from '../ipc';
import { exportName } from './scene';

/** Anything that renders a board as an image: the live editor, or a stored scene. */
export interface BoardImages {
  exportSvg: () => Promise<string>;
  exportPng: () => Promise<Blob>;
}

/**
 * Renders the board (fonts inlined from the app's own files, nothing fetched from the network)
 * and has the engine write it into the data folder's exports/; resolves with the file's path.
 */
export async function saveBoardImage(board: BoardImages, base: string, ext: 'svg' | 'png'): Promise<string> {
  const bytes =
    ext === 'svg'
      ? new TextEncoder().encode(await board.exportSvg())
      : new Uint8Array(await (await board.exportPng()).arrayBuffer());
  return exportBoardFile(exportName(base, new Date()), ext, bytes);
}
