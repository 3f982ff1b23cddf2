export { SAMPLE_FILES_DIR, SAMPLE_KB_NAME, SAMPLE_KB_SLUG, SAMPLE_TOPICS, sampleFilePaths, sampleQuestionsPath, type SampleFormat, type SampleTopic } from "./manifest";
export { loadSampleQuestions, sampleQuestionSchema, type SampleQuestion } from "./questions";
