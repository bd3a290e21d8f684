export * from './watch-cache.ts';
