/**
 * Stages as the fake-kubelet uses them: the built-in file (default-stages.yaml, read once) and a
 * user's --stages file in front of it. Reading a file fails with StageFileError, whose message
 * names the file, line and field; the program prints it and exits 1.
 */
import { readFileSync } from 'node:fs';
import { repoPath } from '../../util/repo-path.ts';
import { parseStages, StageFileError } from './stage-loader.ts';
import type { Stage } from './stage-types.ts';

export { parseStages, StageFileError } from './stage-loader.ts';
export { compileStages, exitCodeOf, firstMatch, selects, stageDelayMs, type CompiledStage, type StageObject } from './stage-matcher.ts';
export type * from './stage-types.ts';

export const defaultStagesPath = 'pkg/kubelet/stages/default-stages.yaml';

/** Reads and checks one stage file. */
export function loadStageFile(path: string): Stage[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StageFileError(`${path}: cannot read stage file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseStages(source, path);
}

let defaults: Stage[] | undefined;

/** The built-in stages (the repository's default-stages.yaml), read once per process. */
export function defaultStages(): Stage[] {
  defaults ??= loadStageFile(repoPath(defaultStagesPath));
  return defaults;
}

/** What a kubelet plays: the user's stages (when given) first, then the built-in ones. */
export function kubeletStages(userFile?: string): Stage[] {
  return [...(userFile ? loadStageFile(userFile) : []), ...defaultStages()];
}
