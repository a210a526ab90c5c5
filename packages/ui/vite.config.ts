import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { earlyRequests } from './build-plugins/early-requests.ts';
import { pagePreload } from './build-plugins/page-preload.ts';
import { ROUTES } from './src/app/route-table.ts';

// `npm run dev -w @trove/ui` serves the UI with hot reload and forwards API calls to a
// `trove server` on :5000 (override with TROVE_API).
const api = process.env.TROVE_API ?? 'http://127.0.0.1:5000';

export default defineConfig({
  plugins: [react(), earlyRequests(), pagePreload(ROUTES)],
  build: {
    target: 'es2022',
    // Charts (uPlot) and the run/compare pages are split into lazy chunks; the entry stays small.
    chunkSizeWarningLimit: 400,
    // One stylesheet (about 36 kB, 8 kB compressed) with the entry instead of one per lazy chunk:
    // the experiment page asked for 4 more CSS files beside its 7 JS chunks and its API requests,
    // and a browser opens 6 connections per host over HTTP/1.1, so they queued behind each other.
    cssCodeSplit: false,
    rolldownOptions: {
      output: {
        // Fewer, larger chunks: left alone, Rolldown split the entry's imports into 11 files and
        // each page's shared helpers into 5-7 more of a few hundred bytes, and a browser fetches
        // 6 at a time per host over HTTP/1.1, so a page's last helper queued behind the API
        // requests it had just started. Now: the entry and everything it imports in one file
        // ('app'), the modules two or more lazy chunks share (charts and pages aside) in one
        // 'shared' file, and each page and chart module on its own as before.
        codeSplitting: {
          groups: [
            { name: 'app', tags: ['$initial'], priority: 2 },
            {
              name: 'shared',
              test: (id) => !/[\\/]charts[\\/]|uplot|Page\.tsx$/.test(id),
              minShareCount: 2,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(['/ajax-api', '/api', '/get-artifact', '/w/', '/health', '/version'].map((p) => [p, api])),
  },
});
