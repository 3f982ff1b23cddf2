/**
 * Starts a worker thread on a TypeScript entry file. Node 20 hands the parent's
 * `--import` hooks (tsx) to no worker, so the thread registers tsx's loader itself,
 * with this project's tsconfig so "@/" paths resolve, and then imports the entry.
 * Throws where tsx cannot be found (a bundled app); callers fall back to their own thread.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export function startTsWorker(entryFile: string, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href;
  // turbopackIgnore: resolved when a thread starts; the web build must not trace the project from here.
  const tsconfig = path.resolve(/*turbopackIgnore: true*/ import.meta.dirname, "../../tsconfig.json");
  const code = [
    `import { register } from ${JSON.stringify(tsxApi)};`,
    `register({ tsconfig: ${JSON.stringify(tsconfig)} });`,
    `await import(${JSON.stringify(pathToFileURL(entryFile).href)});`,
  ].join("\n");
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}
