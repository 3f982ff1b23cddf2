/**
 * The built-in red-team suite: prompt-injection and jailbreak attempts (overrides, fake
 * authority, review bypass, configuration and data exfiltration, role play, and the same
 * hidden by spaced letters, look-alike letters, zero-width characters and base64). Written
 * blind, by two writers who saw neither the review policy nor its checks; each line names
 * its writer. An organisation adds its own in red-team sets.
 */
import { readAttacks, type AttackItem } from "../items";
import attempts from "./attempts.json";

export const BUILT_IN_ATTACKS: readonly AttackItem[] = readAttacks(attempts);

