import { ENROLLMENT_METHODS as METHODS, TARGET_TYPES as TARGETS } from '../../../libs/contracts/src';
import { API_KEY_SCOPES, ENROLLMENT_STATES as STATES } from '../../../libs/domain/src';
import {
  ENROLLMENT_METHODS,
  ENROLLMENT_STATES,
  KEY_SCOPES,
  TARGET_TYPES,
} from '../../../console/src/api/types';

// The console is its own bundle and cannot import the libs (they reach zod, Node and the database layers), so
// it keeps its own copy of the vocabulary it offers in its forms; this keeps the copy true.
describe("the console's vocabulary is the engine's", () => {
  it('offers the same states, methods, targets and key scopes, in the same order', () => {
    expect(ENROLLMENT_STATES).toEqual(STATES);
    expect(ENROLLMENT_METHODS).toEqual(METHODS);
    expect(TARGET_TYPES).toEqual(TARGETS);
    expect(KEY_SCOPES).toEqual(API_KEY_SCOPES);
  });
});
