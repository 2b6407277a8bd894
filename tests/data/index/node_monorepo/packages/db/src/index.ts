export * from './client';
export * from './users';
