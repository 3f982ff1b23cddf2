/** Public entry of lib/review: the review policy (which answers wait for a reviewer) and its risk assessment. */
export { routingPolicySchema, topicSchema, ROUTING_ACTIONS, SIGNAL_ACTIONS } from "./policy";
export type { RoutingPolicy, RoutingTopic, RoutingAction, SignalAction } from "./policy";
export { DEFAULT_ROUTING_POLICY, DEFAULT_AMOUNT_LIMIT } from "./default-policy";
export { assessQuestion, assessAnswer, INJECTION_MIN_SCORE } from "./assess";
export type { Assessment, AssessChunk, Decision, RiskSignal, SignalKind, SimilarityFn } from "./assess";
export { embeddingSimilarity } from "./similarity";
