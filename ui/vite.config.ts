/// <reference types="node" />
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

// Excalidraw's fonts, served by the app itself (src/board/assetPath.ts points Excalidraw at
// them; by default it fetches them from a CDN). Copied from node_modules at build time, never
// committed; the dev server serves them from node_modules.
const EXCALIDRAW_FONTS = fileURLToPath(new URL('./node_modules/@excalidraw/excalidraw/dist/prod/fonts', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function excalidrawFonts(): Plugin {
  return {
    name: 'rehearse-excalidraw-fonts',
    configureServer(server) {
      server.middlewares.use('/fonts', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        const file = path.join(EXCALIDRAW_FONTS, rel);
        if (!file.startsWith(EXCALIDRAW_FONTS + path.sep)) return next();
        try {
          const body = readFileSync(file);
          res.setHeader('Content-Type', file.endsWith('.woff2') ? 'font/woff2' : 'application/octet-stream');
          res.end(body);
        } catch {
          next();
        }
      });
    },
    // Excalidraw lists a CDN copy (esm.sh) after each bundled font as a fallback. It is never
    // fetched while the bundled one loads, but WebKit checks every listed URL against the CSP and
    // reports a violation for each. Point the fallback at the app's own origin instead.
    transform(code, id) {
      if (!id.includes('@excalidraw/excalidraw/dist/') || !code.includes('ASSETS_FALLBACK_URL')) return null;
      const cdn = '`https://esm.sh/';
      if (!code.includes(cdn)) {
        this.error(`Excalidraw's font fallback changed (no ${cdn} in ${id}): update vite.config.ts`);
      }
      return { code: code.replaceAll(cdn, '`${window.location.origin}/no-cdn/'), map: null };
    },
    generateBundle() {
      for (const file of filesUnder(EXCALIDRAW_FONTS)) {
        const fileName = path.posix.join('fonts', path.relative(EXCALIDRAW_FONTS, file).split(path.sep).join('/'));
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}

// Tauri serves ui/dist from its own origin: relative asset paths, nothing from the network.
// `vite build --mode mock` (npm run build:mock) bundles a fake backend for browser previews;
// the default production build never contains it (see src/main.tsx).
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [react(), excalidrawFonts()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ['**/dist/**', '**/dist-mock/**'] },
  },
  build: {
    outDir: mode === 'mock' ? 'dist-mock' : 'dist',
    emptyOutDir: true,
    target: 'safari15',
    sourcemap: false,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
}));
