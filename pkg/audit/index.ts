export * from './policy.ts';
export * from './event.ts';
export * from './log-backend.ts';
