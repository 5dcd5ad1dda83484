export * from './extract/extract.types';
export { extractState, knownBy, type ExtractStateInput } from './extract/extract-state';
export { buildExtract, CheckpointPendingError, type ExtractRequest, type ExtractSources } from './extract/build-extract';
export { verifyExtract, type VerificationReport } from './extract/verify-extract';
export { verifyLog, type LogAnswers } from './extract/verify-log';
export { openCheckpoint, readCheckpoint, type OpenedCheckpoint } from './extract/checkpoint-note';
