import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORM_ADVICE } from "./failures";
import { listModels } from "./health";

let server: http.Server;
let baseUrl: string;
beforeAll(async () => {
  // A server that refuses every key.
  server = http.createServer((_req, res) => void res.writeHead(401, { "content-type": "application/json" }).end('{"error":"bad key"}'));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("listModels' failures say what to check", () => {
  it("names the settings by default, and the form's fields for an address someone typed into Connect", async () => {
    await expect(listModels({ baseUrl })).rejects.toThrow(/refused the credentials \(401\); check LLM_API_KEY\.$/);
    await expect(listModels({ baseUrl, advice: FORM_ADVICE })).rejects.toThrow(/refused the credentials \(401\); check the API key\.$/);
    // A port that was just free: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(listModels({ baseUrl: `http://127.0.0.1:${port}/v1`, advice: FORM_ADVICE })).rejects.toThrow(/\(ECONNREFUSED\)\. Is it running\? Check the server address\.$/);
  });
});
