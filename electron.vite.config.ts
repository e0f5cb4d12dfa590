import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CSP_PLACEHOLDER, RENDERER_CSP } from './src/main/shell/csp';

/** Writes the one renderer policy (src/main/shell/csp.ts) into index.html's <meta>. */
function rendererCsp(): Plugin {
  return {
    name: 'keepalive-lab-renderer-csp',
    transformIndexHtml(html) {
      if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`index.html has no ${CSP_PLACEHOLDER} placeholder for the CSP`);
      return html.replace(CSP_PLACEHOLDER, RENDERER_CSP);
    },
  };
}

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': resolve(__dirname, 'src/shared'), '@engine': resolve(__dirname, 'src/main/engine') } },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // the capture analysis runs in a worker_thread: it needs its own entry
          'capture-worker': resolve(__dirname, 'src/main/engine/capture/worker.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: { '@shared': resolve(__dirname, 'src/shared') } },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS and self-contained (no require of node_modules).
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    resolve: { alias: { '@shared': resolve(__dirname, 'src/shared'), '@renderer': resolve(__dirname, 'src/renderer/src') } },
    root: resolve(__dirname, 'src/renderer'),
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react(), rendererCsp()],
  },
});
