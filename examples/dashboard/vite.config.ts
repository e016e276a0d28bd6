// The dashboard's own build: `npx vite build -c examples/dashboard/vite.config.ts` → dist/dashboard/.
// It imports the SDK as a user would ('monasca-client'), resolved to the built package in dist/
// (run `npm run build` first), never to src/.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: here('.'),
  base: '/dashboard/',
  publicDir: false,
  // Not node_modules/.vite: node_modules may be shared between checkouts.
  cacheDir: here('../../.cache/vite-dashboard'),
  resolve: { alias: { 'monasca-client': here('../../dist/index.js') } },
  build: {
    outDir: here('../../dist/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One file of JS for the whole app: the size gate measures what a browser downloads.
    rollupOptions: { output: { entryFileNames: 'assets/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' } },
  },
})
