/**
 * `npm run build` (electron-vite build): out/main (the Electron main process, ESM), out/preload
 * (the sandboxed preload: CommonJS, as sandboxed preloads must be) and out/renderer (the React
 * renderer, built with the renderer's own Vite config, vite.renderer.config.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import rendererConfig from './vite.renderer.config.ts';

const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const hasRenderer = existsSync(path('./src/renderer/index.html'));

export default defineConfig({
  main: {
    build: {
      outDir: path('./out/main'),
      lib: { entry: path('./src/main/index.ts'), formats: ['es'], fileName: () => 'index.js' },
      // Runtime dependencies (ws, zod, sdp-transform, selfsigned, opusscript) load from node_modules.
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: path('./out/preload'),
      lib: { entry: path('./src/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
      externalizeDeps: false,
    },
  },
  ...(hasRenderer ? { renderer: rendererConfig } : {}),
});
