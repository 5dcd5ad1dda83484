/**
 * The data makers: the demo history (three provinces, through the command path)
 * and the national generator (every province, decided in memory and appended
 * straight into the event store). Used by the CLI, the bench and tests only;
 * production code never imports them (.dependency-cruiser.cjs).
 */
export * from './demo/load-demo';
export * from './generate/generate';
export { mulberry32 } from './random';
