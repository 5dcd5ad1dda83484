export * from './plan.types';
export * from './plan.events';
export * from './plan.commands';
export * from './plan.history';
export * from './decide-plan';
export * from './plan-decision-context';
