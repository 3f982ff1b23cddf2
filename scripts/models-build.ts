/** npm run models:build — (re)build the default offline embedding model wink-sif-100d. */
import { getEnv } from "@/lib/env";
import { buildWinkSifModel } from "@/lib/embeddings/build";

const env = getEnv();
try {
  const result = await buildWinkSifModel({ modelsDir: env.modelsDir, log: (line) => console.log(line) });
  console.log(`models:build: source ${result.source}; record these in models/manifest.json:`);
  console.log(JSON.stringify(result.files, null, 2));
} catch (err) {
  console.error(`models:build failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
