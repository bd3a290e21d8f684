// The README's test-harness example is a test that runs (test/e2e/readme-example.test.ts): keep them the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  it('shows test/e2e/readme-example.test.ts as its harness example, verbatim', () => {
    const block = /## Use it in your tests[\s\S]*?```ts\n([\s\S]*?)```/.exec(read('README.md'))?.[1];
    expect(block).toBe(read('test/e2e/readme-example.test.ts'));
  });
});
