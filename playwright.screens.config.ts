import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// `npm run screens`: the browser suite's server and data, running only e2e/screens (which writes the PNGs there).
export default defineConfig({ ...base, testDir: "e2e/screens", testIgnore: [] });
