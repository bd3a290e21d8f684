/**
 * The programs a test cluster runs, bundled once into one ES module each (esbuild, npm packages
 * left as imports). Why: started through tsx, an apiserver spends about 0.65 s of its 0.9 s start
 * in tsx's loader and in resolving some 150 modules one by one; the bundle starts in about a third
 * of that. The code is the same code: a bundle is rebuilt whenever a source file under pkg/, cmd/ or hack/
 * (or package-lock.json) changes, and run-local keeps running the sources through tsx.
 *
 * Bundles live in <root>/.local/testenv-bundles/<hash>/ (so their package imports resolve to the
 * repository's node_modules); programs find openapi/ and the descriptors through KUBE_TS_ROOT.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/** Source folders whose files a bundle is built from. */
const sourceDirs = ['pkg', 'cmd', 'hack'];
const bundleDirName = join('.local', 'testenv-bundles');

/** Hash of every source file's path, size and mtime (a few ms for the tree), plus the lock file's. */
export function sourceHash(root: string): string {
  const hash = createHash('sha256').update(root);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json|yaml)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        const st = statSync(path);
        hash.update(`${relative(root, path)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const dir of sourceDirs) if (existsSync(join(root, dir))) walk(join(root, dir));
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update(`lock\0${statSync(lock).mtimeMs}`);
  return hash.digest('hex').slice(0, 16);
}

const building = new Map<string, Promise<string>>();

/**
 * The bundle of `entry` (e.g. `cmd/kube-apiserver/main.ts`) for the current sources: built on
 * first use, reused by every later cluster and process. Concurrent builders write to temporary
 * files and rename, so a half-written bundle is never run. Bundles of older sources are removed.
 */
export function bundledEntry(root: string, entry: string): Promise<string> {
  const hash = sourceHash(root);
  const out = join(root, bundleDirName, hash, `${basename(dirname(entry))}.mjs`);
  let pending = building.get(out);
  if (pending === undefined) {
    pending = build(root, entry, out, hash);
    building.set(out, pending);
    pending.catch(() => building.delete(out));
  }
  return pending;
}

async function build(root: string, entry: string, out: string, hash: string): Promise<string> {
  if (existsSync(out)) return out;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: [join(root, entry)],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  renameSync(tmp, out);
  removeStale(join(root, bundleDirName), hash);
  return out;
}

/** Bundles of older trees are removed once this old: a test run still starting from one keeps it. */
const staleAfterMs = 10 * 60_000;

/** Removes bundle folders of other source hashes that have not been written for a while. */
function removeStale(dir: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name !== keep && Date.now() - statSync(path).mtimeMs > staleAfterMs) rmSync(path, { recursive: true, force: true });
  }
}
