/**
 * Loads the risk classifier a routing policy names: a retrained one (stored in Postgres by
 * its sha256), or else the manifest's. Either way the model gate must allow the classifier
 * role, asked at every call (a policy change takes effect at once). Each file or stored
 * version is read once per loader. Used by the web server and by headless evaluations.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Database } from "@/db/client";
import { getRoutingClassifierBody } from "@/db/queries/routing-classifiers";
import type { ModelGate } from "@/lib/models/model-gate";
import { loadClassifier, type RiskClassifier } from "./classifier";
import type { ClassifierSettings } from "./policy";

export type ClassifierLoader = (model?: ClassifierSettings["model"]) => Promise<RiskClassifier>;

export function createClassifierLoader(deps: { db: () => Promise<Database>; gate: () => Promise<ModelGate>; manifestFile: () => string }): ClassifierLoader {
  const loaded = new Map<string, Promise<RiskClassifier>>();
  const loadOnce = (key: string, read: () => Promise<string>) => {
    if (!loaded.has(key)) {
      const loading = read().then((text) => loadClassifier(JSON.parse(text)));
      loaded.set(key, loading);
      loading.catch(() => loaded.delete(key));
    }
    return loaded.get(key)!;
  };
  return async (model) => {
    const [entry] = (await deps.gate()).assertRoleAllowed("classifier");
    if (model) {
      const db = await deps.db();
      return loadOnce(`db#${model.sha256}`, async () => {
        const body = await getRoutingClassifierBody(db, model.sha256);
        // Checked, not trusted: the policy names bytes, and a changed row must not pass as them.
        if (body === undefined || crypto.createHash("sha256").update(body).digest("hex") !== model.sha256) {
          throw new Error(`The retrained classifier ${model.sha256.slice(0, 12)}… named by the review policy is missing or changed in the database.`);
        }
        return body;
      });
    }
    const file = entry?.files[0];
    if (!file) throw new Error("The classifier's manifest entry lists no file.");
    const absolute = path.resolve(path.dirname(deps.manifestFile()), file.path);
    return loadOnce(`${absolute}#${file.sha256}`, () => fs.readFile(absolute, "utf8"));
  };
}
