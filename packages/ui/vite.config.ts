import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @trove/ui` serves the UI with hot reload and forwards API calls to a
// `trove server` on :5000 (override with TROVE_API).
const api = process.env.TROVE_API ?? 'http://127.0.0.1:5000';

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    // Charts (uPlot) and the run/compare pages are split into lazy chunks; the entry stays small.
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: Object.fromEntries(['/ajax-api', '/api', '/get-artifact', '/w/', '/health', '/version'].map((p) => [p, api])),
  },
});
