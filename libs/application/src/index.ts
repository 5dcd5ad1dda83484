export * from './commands/application-errors';
export * from './commands/command-context';
export * from './idempotency/idempotency';
export * from './organizations/organization-commands';
export * from './organizations/organization-history-queries';
export * from './plans/plan-commands';
export * from './plans/seed-plans';
export * from './demo/load-demo';
