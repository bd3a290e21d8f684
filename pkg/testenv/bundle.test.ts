import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceHash } from './bundle.ts';

describe('sourceHash', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function tree(): string {
    root = mkdtempSync(join(tmpdir(), 'bundle-hash-'));
    mkdirSync(join(root, 'pkg/a'), { recursive: true });
    mkdirSync(join(root, 'cmd/x'), { recursive: true });
    writeFileSync(join(root, 'pkg/a/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'cmd/x/main.ts'), 'import "../../pkg/a/a.ts";\n');
    writeFileSync(join(root, 'package-lock.json'), '{}');
    return root;
  }

  it('is stable for an unchanged tree and changes with any source file', () => {
    const dir = tree();
    const first = sourceHash(dir);
    expect(sourceHash(dir)).toBe(first);
    writeFileSync(join(dir, 'pkg/a/a.ts'), 'export const a = 2;\n');
    utimesSync(join(dir, 'pkg/a/a.ts'), new Date(), new Date(Date.now() + 5_000));
    const second = sourceHash(dir);
    expect(second).not.toBe(first);
    writeFileSync(join(dir, 'pkg/a/new.ts'), '');
    expect(sourceHash(dir)).not.toBe(second);
  });

  it('ignores test files, which are never bundled', () => {
    const dir = tree();
    const before = sourceHash(dir);
    writeFileSync(join(dir, 'pkg/a/a.test.ts'), 'test');
    expect(sourceHash(dir)).toBe(before);
  });
});
