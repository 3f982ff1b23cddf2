/**
 * SPDX license ids, from the SPDX list vendored with the CycloneDX schema, so a
 * typo such as "MTI" in the manifest or the policy is caught instead of never matching.
 */
import spdxSchema from "./cyclonedx/spdx.schema.json";

const SPDX_IDS: ReadonlyMap<string, string> = new Map(spdxSchema.enum.map((id) => [id.toLowerCase(), id]));

/** `LicenseRef-…` ids name custom terms (Llama, Gemma…); SPDX allows letters, digits, "." and "-". */
export const LICENSE_REF_PATTERN = /^LicenseRef-[A-Za-z0-9.-]+$/;

/** The canonical spelling of an SPDX license id, or undefined when it is not on the SPDX list. */
export function canonicalSpdxId(id: string): string | undefined {
  return SPDX_IDS.get(id.toLowerCase());
}

/** True for an id on the SPDX list or a well-formed `LicenseRef-…`. */
export function isKnownLicenseId(id: string): boolean {
  return LICENSE_REF_PATTERN.test(id) || canonicalSpdxId(id) !== undefined;
}

/** Licence ids compare case-insensitively, as SPDX specifies. */
export function sameLicenseId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
