export * from './organization.types';
export * from './organization.events';
export * from './organization.commands';
export * from './organization.history';
export * from './organization.state';
export * from './organization.streams';
export * from './decision-context';
export * from './decide';
export { normalizeRegistrationNumber, normalizeName, requireRegistrationNumber } from './registration/registration-number';
