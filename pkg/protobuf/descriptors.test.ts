/**
 * The committed descriptor artefact: what it holds, and that hack/update-proto-descriptors.ts
 * regenerates it byte for byte from the installed kubectl 1.33 (a verify step for `make update`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubectlDirectory } from './testing/capture-server.ts';
import { skipBecause } from '../testenv/skip.ts';

const artefactPath = fileURLToPath(new URL('./descriptors/k8s.json', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const artefact = JSON.parse(readFileSync(artefactPath, 'utf8')) as { source: string; files: string[]; root: unknown };

describe('descriptor artefact', () => {
  it('holds every k8s.io/api group and apimachinery meta/v1, compactly', () => {
    expect(artefact.source).toMatch(/^kubectl v1\.33\./);
    expect(artefact.files).toContain('k8s.io/api/core/v1/generated.proto');
    expect(artefact.files).toContain('k8s.io/api/apps/v1/generated.proto');
    expect(artefact.files).toContain('k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto');
    expect(artefact.files).toContain('k8s.io/apimachinery/pkg/runtime/generated.proto');
    expect(artefact.files.length).toBeGreaterThanOrEqual(67);
    expect(readFileSync(artefactPath, 'utf8').split('\n')).toHaveLength(2); // one line, no pretty-printing
  });

  const binary = join(kubectlDirectory() ?? '', 'kubectl.1.33');
  const installed = existsSync(binary)
    ? (JSON.parse(execFileSync(binary, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion
    : undefined;

  it('is what the generator writes from the installed kubectl', (ctx) => {
    // The artefact is byte-exact for one kubectl build; another 1.33 patch release embeds other bytes.
    if (installed === undefined) skipBecause(ctx, `${binary} is not installed`);
    if (`kubectl ${installed}` !== artefact.source) skipBecause(ctx, `installed kubectl ${installed} is not the artefact's ${artefact.source}`);
    const dir = mkdtempSync(join(tmpdir(), 'proto-descriptors-'));
    try {
      const out = join(dir, 'k8s.json');
      execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'hack/update-proto-descriptors.ts'), '--kubectl', binary, '--out', out],
        { cwd: repoRoot, stdio: 'pipe', timeout: 60_000 });
      expect(readFileSync(out).equals(readFileSync(artefactPath))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
