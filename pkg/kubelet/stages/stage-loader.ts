/**
 * Reads a file of Stage documents (YAML, `---` separated) strictly, the way `kubectl apply
 * --validate=strict` reads a manifest: an unknown field, a value of the wrong type, a bad
 * duration, operator or field path is refused with `<file>:<line>: <field>: <problem>`, so a typo
 * in a user's file stops the fake-kubelet at start instead of silently never matching.
 */
import { loadAll, YAMLException } from 'js-yaml';
import { parseFieldPath } from './field-path.ts';
import { fieldLines, lineOfPath, type DocumentLines } from './yaml-positions.ts';
import { selectorOperators, stageApiVersion, stageKinds, type Stage } from './stage-types.ts';

/** A stage file the fake-kubelet refuses; the message names file, line and field. */
export class StageFileError extends Error {}

/** The shape a document must have; `fields` lists every accepted field (anything else is refused). */
type Shape =
  | { type: 'string'; oneOf?: readonly string[]; nonEmpty?: boolean }
  | { type: 'integer'; min: number; max: number }
  | { type: 'boolean' }
  | { type: 'stringMap' }
  | { type: 'list'; items: Shape }
  | { type: 'object'; fields: Readonly<Record<string, Shape>>; required?: readonly string[] };

const str: Shape = { type: 'string' };
const name: Shape = { type: 'string', nonEmpty: true };
const millis: Shape = { type: 'integer', min: 0, max: 365 * 24 * 3600 * 1000 };

const stageShape: Shape = {
  type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
  fields: {
    apiVersion: { type: 'string', oneOf: [stageApiVersion] },
    kind: { type: 'string', oneOf: ['Stage'] },
    metadata: { type: 'object', required: ['name'], fields: { name } },
    spec: {
      type: 'object', required: ['resourceRef', 'next'],
      fields: {
        resourceRef: { type: 'object', required: ['kind'], fields: { apiGroup: { type: 'string', oneOf: ['', 'v1'] }, kind: { type: 'string', oneOf: stageKinds } } },
        selector: {
          type: 'object',
          fields: {
            matchLabels: { type: 'stringMap' },
            matchAnnotations: { type: 'stringMap' },
            matchExpressions: {
              type: 'list',
              items: { type: 'object', required: ['key', 'operator'], fields: { key: name, operator: { type: 'string', oneOf: selectorOperators }, values: { type: 'list', items: str } } },
            },
          },
        },
        delay: {
          type: 'object',
          fields: {
            durationMilliseconds: millis,
            jitterDurationMilliseconds: millis,
            durationFrom: { type: 'object', required: ['annotation'], fields: { annotation: name } },
          },
        },
        next: {
          type: 'object',
          fields: {
            event: {
              type: 'object', required: ['type', 'reason'],
              fields: { type: { type: 'string', oneOf: ['Normal', 'Warning'] }, reason: name, message: str },
            },
            startContainers: { type: 'boolean' },
            containersReady: { type: 'boolean' },
            containerExit: {
              type: 'object',
              fields: { container: name, code: { type: 'integer', min: 0, max: 255 }, codeFromAnnotation: name, reason: name, message: str },
            },
            podPhase: { type: 'string', oneOf: ['Failed', 'Succeeded'] },
            reason: name,
            message: str,
            delete: { type: 'boolean' },
          },
        },
      },
    },
  },
};

type Refuse = (path: string, problem: string) => never;

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`);

/** Checks `value` against `shape`; refuses at the first problem, depth first in document order. */
function check(value: unknown, shape: Shape, path: string, refuse: Refuse): void {
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') refuse(path, `must be a string, not ${typeName(value)}`);
      if (shape.nonEmpty && value === '') refuse(path, 'must not be empty');
      if (shape.oneOf && !shape.oneOf.includes(value)) refuse(path, `unsupported value ${JSON.stringify(value)}: must be one of ${shape.oneOf.map((s) => JSON.stringify(s)).join(', ')}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) refuse(path, `must be an integer, not ${typeName(value)}`);
      if (value < shape.min || value > shape.max) refuse(path, `must be from ${shape.min} to ${shape.max}, not ${value}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') refuse(path, `must be true or false, not ${typeName(value)}`);
      return;
    case 'stringMap':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse(path, `must be a mapping of strings, not ${typeName(value)}`);
      for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') refuse(`${path}.${k}`, `must be a string, not ${typeName(v)} (quote it)`);
      return;
    case 'list':
      if (!Array.isArray(value)) refuse(path, `must be a list, not ${typeName(value)}`);
      value.forEach((item, i) => check(item, shape.items, `${path}[${i}]`, refuse));
      return;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse(path, `must be a mapping, not ${typeName(value)}`);
      const record = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(record)) {
        const fieldShape = shape.fields[k];
        const at = path ? `${path}.${k}` : k;
        if (!fieldShape) refuse(at, `unknown field "${k}"`);
        check(v, fieldShape, at, refuse);
      }
      for (const required of shape.required ?? []) {
        if (record[required] === undefined) refuse(path ? `${path}.${required}` : required, 'required field is missing');
      }
    }
  }
}

/** The rules a shape cannot say: values per operator, field paths, durations, a non-empty next. */
function checkMeaning(stage: Stage, refuse: Refuse): void {
  const { selector, delay, next } = stage.spec;
  (selector?.matchExpressions ?? []).forEach((req, i) => {
    const at = `spec.selector.matchExpressions[${i}]`;
    try {
      parseFieldPath(req.key);
    } catch (err) {
      refuse(`${at}.key`, (err as Error).message);
    }
    const wantsValues = req.operator === 'In' || req.operator === 'NotIn';
    if (wantsValues && (req.values ?? []).length === 0) refuse(`${at}.values`, `must be non-empty for operator ${req.operator}`);
    if (!wantsValues && req.values !== undefined) refuse(`${at}.values`, `must be absent for operator ${req.operator}`);
  });
  const duration = delay?.durationMilliseconds ?? 0;
  if (delay?.jitterDurationMilliseconds !== undefined && delay.jitterDurationMilliseconds < duration) {
    refuse('spec.delay.jitterDurationMilliseconds', `must be at least durationMilliseconds (${duration}), not ${delay.jitterDurationMilliseconds}`);
  }
  if (Object.keys(next).length === 0) refuse('spec.next', 'must say what happens: event, startContainers, containersReady, containerExit, podPhase or delete');
  if ((next.reason !== undefined || next.message !== undefined) && next.podPhase === undefined) {
    refuse(next.reason !== undefined ? 'spec.next.reason' : 'spec.next.message', 'is the status reason of podPhase, which is missing');
  }
  if (next.containerExit && next.containerExit.code === undefined && next.containerExit.codeFromAnnotation === undefined) {
    // An explicit exit needs an explicit code: "exits" with nothing else is most likely a typo.
    refuse('spec.next.containerExit', 'needs code or codeFromAnnotation');
  }
}

/** Parses and checks `source` (named `file` in refusals); throws StageFileError. */
export function parseStages(source: string, file: string): Stage[] {
  let docs: unknown[];
  try {
    docs = loadAll(source, { filename: file });
  } catch (err) {
    if (err instanceof YAMLException) throw new StageFileError(`${file}:${(err.mark?.line ?? 0) + 1}: ${err.reason}`);
    throw err;
  }
  const lines = fieldLines(source);
  const stages: Stage[] = [];
  const names = new Map<string, number>();
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return; // an empty document (a trailing ---)
    const docLines: DocumentLines | undefined = lines[i];
    const refuse: Refuse = (path, problem) => {
      throw new StageFileError(`${file}:${lineOfPath(docLines, path) ?? 1}: ${path || '(document)'}: ${problem}`);
    };
    check(doc, stageShape, '', refuse);
    const stage = doc as Stage;
    checkMeaning(stage, refuse);
    const line = lineOfPath(docLines, 'metadata.name') ?? 1;
    const earlier = names.get(stage.metadata.name);
    if (earlier !== undefined) refuse('metadata.name', `stage "${stage.metadata.name}" is already defined at line ${earlier}`);
    names.set(stage.metadata.name, line);
    stages.push(stage);
  });
  return stages;
}
