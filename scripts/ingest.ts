/**
 * npm run ingest -- <files or folders> --kb <slug> [--verbose]
 * The entry restarts itself with the native settings (see _native.ts) before it loads
 * anything else, so the restart costs a Node start rather than loading the project twice;
 * the work is in ingest-run.ts.
 */
import { startWithNativeSettings } from "./_native";

await startWithNativeSettings();
await import("./ingest-run");
