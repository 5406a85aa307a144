import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

/** antd and the packages it is built from. */
const ANTD = /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|dayjs|@babel[\\/]runtime|classnames|clsx|stylis|throttle-debounce|scroll-into-view-if-needed|compute-scroll-into-view|json2mq|copy-to-clipboard|toggle-selection|string-convert|resize-observer-polyfill)[\\/]/;

/**
 * The staff web app. Its root is src/web; pages of the domains (src/domains/<domain>/web) are
 * loaded lazily, and the large libraries get chunks of their own so that the first load stays
 * small and a release that changes only our code keeps the browsers' cached vendor chunks.
 */
export default defineConfig({
  root: path.join(here, 'src/web'),
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 40 },
            { name: 'vendor-echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'vendor-query', test: /node_modules[\\/]@tanstack[\\/]/, priority: 30 },
            { name: 'vendor-zod', test: /node_modules[\\/]zod[\\/]/, priority: 30 },
            // antd in two parts: what the shell needs on the first load, and the rest (tables, forms, pickers) for the pages.
            { name: 'vendor-antd', test: ANTD, tags: ['$initial'], priority: 21 },
            { name: 'vendor-antd-pages', test: ANTD, priority: 20 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // Only /api/… (a plain '/api' prefix would also catch the module /api.ts of src/web).
      // Keep the Host header: the server's CSRF check compares Origin with Host.
      '^/api/': { target: `http://127.0.0.1:${process.env.PORT ?? '3000'}`, changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
