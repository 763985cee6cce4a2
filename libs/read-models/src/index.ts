export { ActiveSequences, type ActiveSequencesSnapshot } from './active-sequences';
