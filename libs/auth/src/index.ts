export * from './principal';
export * from './errors';
export * from './token-service';
export * from './secret';
