import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

// Import boundaries: imports flow app → ingest → lib → db; the local model server (llm-server/)
// and the command-line entry points (scripts/) sit beside app on top. Benchmarks and evaluations
// (tools/) and test doubles (test/) serve no user, so no product code imports them.
const folders = {
  app: { group: ["@/app/*", "**/app/*"], message: "only Next.js imports app/: nothing else depends on pages and route handlers." },
  ingest: { group: ["@/ingest/*", "**/ingest/*"], message: "lib/ and db/ never import from ingest/ (ingest → lib → db)." },
  lib: { group: ["@/lib/*", "**/lib/*"], message: "db/ never imports from lib/ (lib → db): pass what a query needs in, or move it beside the query." },
  llmServer: { group: ["@/llm-server/*", "**/llm-server/*"], message: "the local model server is its own process: start it (npm run llm:serve, llm-server/main.ts), never import it." },
  scripts: { group: ["@/scripts/*", "**/scripts/*"], message: "scripts/ are entry points: move what is shared into lib/ or ingest/." },
  tools: { group: ["@/tools/*", "**/tools/*"], message: "product code never imports benchmark or evaluation code (tools/)." },
  test: { group: ["@/test/*", "**/test/*", "@/e2e/*", "**/e2e/*"], message: "product code never imports test support (test/, e2e/)." },
};
const forbid = (...names) => ["error", { patterns: names.map((n) => folders[n]) }];
const tests = ["**/*.test.ts", "**/*.test.tsx"];

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "data/**", "models/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  {
    plugins: { drizzle },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // A delete or update without where touches every row: always say which.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  { files: ["app/**"], ignores: tests, rules: { "no-restricted-imports": forbid("llmServer", "scripts", "tools", "test") } },
  { files: ["scripts/**"], ignores: tests, rules: { "no-restricted-imports": forbid("app", "llmServer", "tools", "test") } },
  { files: ["llm-server/**"], ignores: tests, rules: { "no-restricted-imports": forbid("app", "ingest", "scripts", "tools", "test") } },
  { files: ["ingest/**"], ignores: tests, rules: { "no-restricted-imports": forbid("app", "llmServer", "scripts", "tools", "test") } },
  { files: ["lib/**"], ignores: tests, rules: { "no-restricted-imports": forbid("app", "ingest", "llmServer", "scripts", "tools", "test") } },
  { files: ["db/**"], ignores: tests, rules: { "no-restricted-imports": forbid("app", "ingest", "lib", "llmServer", "scripts", "tools", "test") } },
];

export default config;
