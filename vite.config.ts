import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Renderer: one build serves both Electron (file://) and `pitwall serve` (http), hence relative base.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../../out/renderer', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { port: 5173 },
});
