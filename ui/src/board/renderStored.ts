// Renders a stored board (Excalidraw scene JSON) without an editor: Review shows it as an
// image and exports it. Loaded lazily with Excalidraw's module; `./assetPath` comes first so
// the fonts inlined into the image are the app's own.
import './assetPath';
import { exportToBlob, exportToSvg, restore } from '@excalidraw/excalidraw';
import type { ImportedDataState } from '@excalidraw/excalidraw/data/types';
import type { BoardImages } from './saveBoard';

function parse(sceneJson: string) {
  // The engine stores a .excalidraw scene; a bare elements array is read too.
  const data: unknown = JSON.parse(sceneJson);
  const scene = (Array.isArray(data) ? { elements: data } : (data ?? {})) as ImportedDataState;
  const restored = restore({ elements: scene.elements ?? [], appState: null, files: scene.files ?? {} }, null, null);
  return {
    elements: restored.elements.filter((e) => !e.isDeleted),
    appState: { ...restored.appState, exportBackground: true, exportWithDarkMode: false, viewBackgroundColor: '#ffffff' },
    files: restored.files,
  };
}

/** The board as an SVG element (fonts inlined), for showing in the page. */
export async function storedBoardSvg(sceneJson: string): Promise<SVGSVGElement> {
  // In the page the app's fonts are loaded already; inlining them would mean subsetting with
  // Excalidraw's WebAssembly, whose Emscripten glue uses eval (refused by the CSP).
  return exportToSvg({ ...parse(sceneJson), exportPadding: 16, skipInliningFonts: true });
}

/** Export functions over a stored board. */
export function storedBoardImages(sceneJson: string): BoardImages {
  return {
    exportSvg: async () =>
      new XMLSerializer().serializeToString(
        await exportToSvg({ ...parse(sceneJson), exportPadding: 24, skipInliningFonts: true }),
      ),
    exportPng: () => {
      const scene = parse(sceneJson);
      return exportToBlob({ ...scene, appState: { ...scene.appState, exportScale: 2 }, mimeType: 'image/png', exportPadding: 24 });
    },
  };
}
