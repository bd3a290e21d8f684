/**
 * The pure half of playing stages, after kwok's pkg/utils/lifecycle: does a stage select an
 * object, which stage plays next, how long it waits, which exit code it means. No timers and no
 * I/O, so every rule is a table test; pod/stage-player.ts does the waiting.
 */
import { parseGoDuration } from '../../client/leaderelection/index.ts';
import { parseFieldPath, readFieldPath, type PathSegment } from './field-path.ts';
import type { ContainerExit, SelectorOperator, Stage, StageKind } from './stage-types.ts';

interface Requirement { path: PathSegment[]; operator: SelectorOperator; values: readonly string[] }

/** A stage with its selector's field paths parsed once. */
export interface CompiledStage {
  readonly stage: Stage;
  readonly name: string;
  readonly requirements: readonly Requirement[];
}

/** An object as stages see it: metadata, spec and status, whatever its kind. */
export interface StageObject {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export function compileStages(stages: readonly Stage[]): CompiledStage[] {
  return stages.map((stage) => {
    const sel = stage.spec.selector ?? {};
    const requirements: Requirement[] = [
      ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => ({ path: [f('metadata'), f('labels'), f(k)], operator: 'In' as const, values: [v] })),
      ...Object.entries(sel.matchAnnotations ?? {}).map(([k, v]) => ({ path: [f('metadata'), f('annotations'), f(k)], operator: 'In' as const, values: [v] })),
      ...(sel.matchExpressions ?? []).map((r) => ({ path: parseFieldPath(r.key), operator: r.operator, values: r.values ?? [] })),
    ];
    return { stage, name: stage.metadata.name, requirements };
  });
}

function f(name: string): PathSegment {
  return { kind: 'field', name };
}

/** A field's value as selectors compare it: scalars as text; objects and lists only exist. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function satisfies(obj: StageObject, req: Requirement): boolean {
  const value = readFieldPath(obj, req.path);
  const exists = value !== undefined && value !== null;
  switch (req.operator) {
    case 'Exists': return exists;
    case 'DoesNotExist': return !exists;
    case 'In': {
      const t = text(value);
      return t !== undefined && req.values.includes(t);
    }
    case 'NotIn': {
      // As label selectors: a missing field is "not in" any set.
      const t = text(value);
      return t === undefined || !req.values.includes(t);
    }
  }
}

export function selects(compiled: CompiledStage, obj: StageObject): boolean {
  return compiled.requirements.every((r) => satisfies(obj, r));
}

/** The first stage of `kind` that selects `obj` and that `skip` does not rule out (one already played). */
export function firstMatch(stages: readonly CompiledStage[], kind: StageKind, obj: StageObject,
  skip: (name: string) => boolean = () => false): CompiledStage | undefined {
  return stages.find((s) => s.stage.spec.resourceRef.kind === kind && !skip(s.name) && selects(s, obj));
}

/** Milliseconds the stage waits for `obj`: the annotation's duration when valid, else the fixed one; jitter on top. */
export function stageDelayMs(stage: Stage, obj: StageObject, random: () => number = Math.random): number {
  const delay = stage.spec.delay;
  if (!delay) return 0;
  let base = delay.durationMilliseconds ?? 0;
  const fromAnnotation = delay.durationFrom ? obj.metadata?.annotations?.[delay.durationFrom.annotation] : undefined;
  if (fromAnnotation !== undefined) {
    const ms = durationOrUndefined(fromAnnotation);
    if (ms !== undefined) base = ms;
  }
  const jitter = delay.jitterDurationMilliseconds;
  if (jitter === undefined || jitter <= base) return base;
  return Math.round(base + random() * (jitter - base));
}

function durationOrUndefined(textValue: string): number | undefined {
  try {
    const ms = parseGoDuration(textValue.trim());
    return ms >= 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** The exit code a containerExit means for `obj`: the annotation's integer when valid, else `code`, else 1. */
export function exitCodeOf(exit: ContainerExit, obj: StageObject): number {
  const annotated = exit.codeFromAnnotation ? obj.metadata?.annotations?.[exit.codeFromAnnotation]?.trim() : undefined;
  if (annotated !== undefined && /^\d{1,3}$/.test(annotated) && Number(annotated) <= 255) return Number(annotated);
  return exit.code ?? 1;
}
