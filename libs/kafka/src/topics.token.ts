/** Nest injection token for the process's Topics (names derived from KAFKA_TOPIC_PREFIX). */
export const TOPICS = Symbol('TOPICS');
