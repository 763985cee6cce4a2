/**
 * Bounds of the free text that travels on Kafka, shared by the validators and the code that fills the fields
 * (so a producer trims to what the consumer accepts, and nothing valid upstream is dead-lettered downstream).
 */

/** A conversation message's text on `conversation-activity`. */
export const ACTIVITY_TEXT_MAX = 2_000;

/** The Maestro's reason in a command's provenance. */
export const MAESTRO_REASON_MAX = 2_000;

/** The question the Maestro was asked, as compact JSON, in a command's provenance. */
export const MAESTRO_QUESTION_MAX = 8_000;
