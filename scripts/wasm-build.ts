/** npm run wasm:build — recompiles lib/embeddings/wasm/scan.as.ts into scan-wasm.ts (commit the result). */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { compileScanWasm, scanWasmModule } from "@/lib/embeddings/wasm/compile";

const bytes = await compileScanWasm();
const target = path.join(import.meta.dirname, "../lib/embeddings/wasm/scan-wasm.ts");
await writeFile(target, scanWasmModule(bytes));
console.log(`wasm:build: ${bytes.length} bytes → ${path.relative(process.cwd(), target)}`);
