import { readFileSync } from "node:fs";
import { parseDocument } from "@/ingest/parse";
const f = process.argv[2]!;
const d = await parseDocument({ bytes: new Uint8Array(readFileSync(`ingest/sample-kb/files/${f}`)), fileName: f });
console.log(d.text.slice(0, Number(process.argv[3] ?? 2500)));
console.log(d.blocks.map(b=>b.kind+(b.level??"")).join(" "));
