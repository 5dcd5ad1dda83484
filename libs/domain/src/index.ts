export * from './shared/domain-error';
export * from './shared/local-date';
export * from './shared/assert-never';
export * from './organizations';
export * from './plans';
export * from './progress';
export * from './upcasting';
