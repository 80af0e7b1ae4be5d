import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Tauri serves ui/dist from its own origin: relative asset paths, nothing from the network.
// `vite build --mode mock` (npm run build:mock) bundles a fake backend for browser previews;
// the default production build never contains it (see src/main.tsx).
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [react()],
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
