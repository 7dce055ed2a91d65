import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from the app:// protocol in Electron and over HTTP in tests: relative base.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
