export * from './administrative-map';
export * from './reference-data';
export * from './reorganization';
