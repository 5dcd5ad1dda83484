export * from './target-evaluation';
export * from './period-ends';
export * from './flows';
