// Builds the SPA into apps/web/dist (served by the API in production); in development, proxies the API.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // Maps stay beside the build for reading a production stack trace; the files do not point to them and the
  // server does not serve them (apps/server/src/app.ts).
  build: { outDir: "dist", emptyOutDir: true, sourcemap: "hidden" },
  server: {
    proxy: {
      // The dev server is its own origin; the session cookie works because the API is reached through it.
      "/trpc": { target: process.env.CHAIRSIDE_API_URL ?? "http://127.0.0.1:4000", changeOrigin: false },
      "/export": { target: process.env.CHAIRSIDE_API_URL ?? "http://127.0.0.1:4000", changeOrigin: false },
    },
  },
});
