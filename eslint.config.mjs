import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const noAppImports = {
  patterns: [{ group: ["@/app/*", "**/app/*"], message: "lib/, db/ and ingest/ never import from app/ (imports flow app → lib/db/ingest)." }],
};
const noUpwardImports = {
  patterns: [
    ...noAppImports.patterns,
    { group: ["@/ingest/*", "**/ingest/*"], message: "lib/ and db/ never import from ingest/ (ingest → lib, db)." },
  ],
};

const noDbUpwardImports = {
  patterns: [
    ...noUpwardImports.patterns,
    { group: ["@/lib/*", "**/lib/*"], message: "db/ never imports from lib/ (lib → db): pass what a query needs in, or move it beside the query." },
  ],
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
  { files: ["ingest/**"], rules: { "no-restricted-imports": ["error", noAppImports] } },
  { files: ["lib/**"], ignores: ["**/*.test.ts"], rules: { "no-restricted-imports": ["error", noUpwardImports] } },
  { files: ["db/**"], ignores: ["**/*.test.ts"], rules: { "no-restricted-imports": ["error", noDbUpwardImports] } },
];

export default config;
