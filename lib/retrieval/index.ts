/** Public entry points of retrieval (hybrid search, query rewriting). */
export { retrieve, DEFAULT_K, DEFAULT_TOKEN_BUDGET } from "./retrieve";
export type { RetrieveParams, RetrieveResult, RetrievedChunk, RetrieveTimings } from "./retrieve";
export { fuseRankings, defaultWeights, DEFAULT_RRF_K } from "./fusion";
export type { FusedChunk, FusionWeights } from "./fusion";
export { dropNearDuplicates, withoutNearDuplicates, fitTokenBudget, keepLatestVersions, jaccard, shingles } from "./select";
export { rewriteQuery, rewriteQueryHeuristic, isFollowUp, buildRewritePrompt } from "./rewrite";
export type { ChatTurn, RewriteLlm, RewriteResult } from "./rewrite";
