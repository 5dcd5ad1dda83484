export { OrganizationTimeline1732500000000 } from './migrations/1732500000000-organization-timeline';
export * from './generations';
export * from './projector/projector';
export * from './projector/apply-batch';
export * from './organizations/organization-projection';
export * from './organizations/timeline';
export * from './plans/plan-projection';
