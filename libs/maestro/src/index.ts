export { AiGate, maestroProvenance, type GateVerdict } from './ai-gate';
export { ANSWER_BYTES_MAX, readBoundedText } from './bounded-body';
export { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
export { HttpMaestro } from './http-maestro';
export { REASON_MAX, UnreadableAnswerError, parseAnswer, sanitiseReason } from './maestro-answer';
export {
  QUESTION_DATA_ENTRIES,
  QUESTION_DATA_KEY_MAX,
  QUESTION_DATA_VALUE_MAX,
  QUESTION_MAX,
  buildQuestion,
  questionAsked,
  type QuestionInput,
} from './maestro-question';
export {
  MAESTRO,
  type Maestro,
  type MaestroAnswer,
  type MaestroQuestion,
  type QuestionMessage,
} from './maestro.port';
export { MaestroModule } from './maestro.module';
