import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemoteEmbedder, embeddingsUrl } from "./remote";

interface Seen {
  url: string;
  auth: string | undefined;
  body: { model: string; input: string[] };
}
const seen: Seen[] = [];
let failNext = false;
let server: http.Server;
let baseUrl: string;

// A tiny OpenAI-compatible server: vector i is [len(text), 1, 0] unnormalised, returned in reverse order.
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw) as Seen["body"];
      seen.push({ url: req.url ?? "", auth: req.headers.authorization, body });
      if (failNext) {
        failNext = false;
        res.writeHead(503, { "content-type": "text/plain" }).end("model is loading");
        return;
      }
      const data = body.input.map((t, index) => ({ object: "embedding", index, embedding: [t.length, 1, 0] }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: data.reverse() }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("RemoteEmbedder", () => {
  it("builds the /v1/embeddings URL from either form of base URL", () => {
    expect(embeddingsUrl("http://gpu:8080")).toBe("http://gpu:8080/v1/embeddings");
    expect(embeddingsUrl("http://gpu:8080/v1/")).toBe("http://gpu:8080/v1/embeddings");
  });

  it("probes dimensions, batches, restores order, normalises and prefixes bge queries", async () => {
    seen.length = 0;
    const e = await RemoteEmbedder.connect({ baseUrl, model: "BAAI/bge-small-en-v1.5", apiKey: "sk-test", maxBatch: 2 });
    expect(e.id).toBe("remote:BAAI/bge-small-en-v1.5");
    expect(e.kind).toBe("remote");
    expect(e.dimensions).toBe(3);
    const v = await e.embed(["abc", "", "abcdefg"], { kind: "passage" });
    expect(seen.map((s) => s.body.input)).toEqual([["dimension probe"], ["abc", " "], ["abcdefg"]]);
    expect(seen.every((s) => s.url === "/v1/embeddings" && s.auth === "Bearer sk-test")).toBe(true);
    expect(seen[1]?.body.model).toBe("BAAI/bge-small-en-v1.5");
    expect(Array.from(v[0]!).map((x) => x.toFixed(4))).toEqual([3 / Math.sqrt(10), 1 / Math.sqrt(10), 0].map((x) => x.toFixed(4)));
    expect(Array.from(v[1]!).map((x) => x.toFixed(4))).toEqual([1 / Math.SQRT2, 1 / Math.SQRT2, 0].map((x) => x.toFixed(4)));
    await e.embed(["reset password"], { kind: "query" });
    expect(seen.at(-1)?.body.input).toEqual(["Represent this sentence for searching relevant passages: reset password"]);
  });

  it("reports server errors and unreachable servers clearly", async () => {
    const e = await RemoteEmbedder.connect({ baseUrl, model: "m", dimensions: 3 });
    failNext = true;
    await expect(e.embed(["x"], { kind: "passage" })).rejects.toThrow(/answered 503: model is loading/);
    const dead = await RemoteEmbedder.connect({ baseUrl: "http://127.0.0.1:9", model: "m", dimensions: 3 });
    await expect(dead.embed(["x"], { kind: "passage" })).rejects.toThrow(/Cannot reach the embeddings server at http:\/\/127.0.0.1:9/);
  });
});
