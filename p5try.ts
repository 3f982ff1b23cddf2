import { readFileSync } from "node:fs";
import { parseDocument } from "@/ingest/parse";
const f = process.argv[2]!;
const d = await parseDocument({ bytes: new Uint8Array(readFileSync(`ingest/sample-kb/files/${f}`)), fileName: f });
console.log(d.text);
console.log(d.blocks.map(b=>b.kind+(b.level??"")).join(" "));
