import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('hack/update-openapi.ts', () => {
  it('leaves the committed openapi/ files unchanged (--verify)', () => {
    // Throws with the script's stderr when a generated file is stale.
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'hack/update-openapi.ts', '--verify'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });
});
