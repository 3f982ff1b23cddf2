import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const noAppImports = {
  patterns: [{ group: ["@/app/*", "**/app/*"], message: "lib/, db/ and ingest/ never import from app/ (imports flow app → lib/db/ingest)." }],
};

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "data/**", "models/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["lib/**", "db/**", "ingest/**"], rules: { "no-restricted-imports": ["error", noAppImports] } },
];

export default config;
