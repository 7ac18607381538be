import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The cashier's screen (web/), built into dist/web and served by `outpost serve` at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // The node's policy allows no inline script, and Vite's module preload polyfill is one.
    modulePreload: { polyfill: false },
  },
});
