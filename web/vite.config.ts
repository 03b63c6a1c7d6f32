import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The workspace builds to web/dist, which the LoanDesk server serves at /.
// biome-ignore lint/style/noDefaultExport: Vite reads the default export.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (
            id.includes('node_modules/echarts') ||
            id.includes('node_modules/zrender')
          )
            return 'echarts';
          // Ant Design is left to the bundler: each screen's chunk carries
          // the components it uses, so the sign-in screen does not load the
          // tables, pickers and drawers of the others.
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
