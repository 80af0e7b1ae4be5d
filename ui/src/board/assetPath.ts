// Excalidraw loads its fonts from EXCALIDRAW_ASSET_PATH, else from a CDN. The app is offline:
// the fonts are copied into the build output's fonts/ (vite.config.ts) and served by the app
// itself. Imported before Excalidraw, so the path is set before any font is asked for.
declare global {
  interface Window {
    EXCALIDRAW_ASSET_PATH?: string | string[];
  }
}

window.EXCALIDRAW_ASSET_PATH = new URL('.', document.baseURI).href;

export {};
