export * from './common/domain-error';
export * from './common/local-date';
export * from './common/assert-never';
export * from './organizations';
export * from './plans';
export * from './progress';
export * from './upcasting';
