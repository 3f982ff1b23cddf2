import { describe, expect, it } from "vitest";
import { crossOriginRefusal } from "./origin";

const APP = "https://vouch.example.com";
const req = (method: string, headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/admin/users", { method, headers });

describe("crossOriginRefusal", () => {
  it("refuses a change from another port of the same host, or another site", () => {
    expect(crossOriginRefusal(req("POST", { host: "localhost:3000", origin: "http://localhost:4000", "sec-fetch-site": "same-site" }), APP)).toBe("a same-site request");
    expect(crossOriginRefusal(req("POST", { host: "localhost:3000", origin: "http://localhost:4000" }), APP)).toBe("a request from http://localhost:4000");
    expect(crossOriginRefusal(req("DELETE", { host: "vouch.example.com", "sec-fetch-site": "cross-site" }), APP)).toBe("a cross-site request");
    expect(crossOriginRefusal(req("PATCH", { host: "vouch.example.com", origin: "null" }), APP)).toBe('a request from origin "null"');
  });

  it("lets the app's own pages change things: same origin by Host, X-Forwarded-Host or APP_URL", () => {
    expect(crossOriginRefusal(req("POST", { host: "localhost:3000", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), APP)).toBeUndefined();
    expect(crossOriginRefusal(req("POST", { host: "127.0.0.1:3000", "x-forwarded-host": "vouch.internal", origin: "https://vouch.internal" }), APP)).toBeUndefined();
    expect(crossOriginRefusal(req("PUT", { host: "10.0.0.5:3000", origin: "https://vouch.example.com" }), APP)).toBeUndefined();
  });

  it("leaves reads and non-browser clients alone", () => {
    expect(crossOriginRefusal(req("GET", { host: "localhost:3000", origin: "http://evil.example", "sec-fetch-site": "cross-site" }), APP)).toBeUndefined();
    expect(crossOriginRefusal(req("POST", { host: "localhost:3000" }), APP)).toBeUndefined();
  });
});
