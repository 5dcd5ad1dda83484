export * from './target-evaluation';
export * from './period-ends';
