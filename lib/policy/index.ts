/** Public entry of lib/policy: the routing policy, the risk assessment and its evaluation. */
export { routingPolicySchema, topicSchema, ROUTING_ACTIONS, SIGNAL_ACTIONS } from "./policy";
export type { RoutingPolicy, RoutingTopic, RoutingAction, SignalAction } from "./policy";
export { DEFAULT_ROUTING_POLICY, DEFAULT_AMOUNT_LIMIT } from "./default-policy";
export { assessQuestion, assessAnswer, INJECTION_MIN_SCORE } from "./assess";
export type { Assessment, AssessChunk, ChatTurn, Decision, RiskSignal, SignalKind, SimilarityFn } from "./assess";
export { embeddingSimilarity } from "./similarity";
export { loadRoutingQuestions, scoreRouting, formatRoutingReport } from "./evaluate";
export type { RoutingQuestion, RoutingScore, RoutedQuestion } from "./evaluate";
