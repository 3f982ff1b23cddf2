/**
 * The manifest every process decides by: the committed, reviewed models/manifest.json with what
 * admins did in Admin › Models laid over it from the data folder (models added, hashes recorded
 * at download, models enabled). The gate, the local model server and scripts all read it here.
 */
import { addedManifestFile, readAddedModels, withAddedModels } from "./added";
import { enabledModelsFile, readEnabledModels, withEnabledModels } from "./enabled";
import { loadManifest, type Manifest } from "./manifest";

export function loadEffectiveManifest(file: string, dataDir: string): Manifest {
  return withEnabledModels(withAddedModels(loadManifest(file), readAddedModels(addedManifestFile(dataDir))), readEnabledModels(enabledModelsFile(dataDir)));
}
