import { defineConfig } from 'vite';

// `vite` (dev) proxies the node's endpoints, so the app's default node — its own origin — works
// in development too: AESC_NODE (default http://127.0.0.1:3013, `aesc node start`'s port).
const node = process.env.AESC_NODE ?? 'http://127.0.0.1:3013';

export default defineConfig({
  base: './',
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/channel': { target: node, ws: true },
      '/v3': node,
      '/emit_kb': node,
    },
  },
});
