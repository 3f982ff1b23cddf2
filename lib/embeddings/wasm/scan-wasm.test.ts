import { describe, expect, it } from "vitest";
import { compileScanWasm } from "./compile";
import { SCAN_WASM_BASE64 } from "./scan-wasm";

describe("scan-wasm.ts", () => {
  it("embeds exactly what scan.as.ts compiles to (run `npm run wasm:build` after editing the source)", async () => {
    expect(Buffer.from(await compileScanWasm()).toString("base64")).toBe(SCAN_WASM_BASE64);
  }, 60_000);
});
