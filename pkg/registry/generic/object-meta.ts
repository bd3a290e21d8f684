/** System metadata the store owns on every write (rest.FillObjectMetaSystemFields and friends). */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/index.ts';

/** Kubernetes' generateName alphabet: no vowels, no confusable digits (utilrand.String). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomNameSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)];
  return out;
}

export interface MetaSources {
  now: () => Date;
  uid: () => string;
  nameSuffix: () => string;
}

export const defaultMetaSources: MetaSources = { now: () => new Date(), uid: randomUUID, nameSuffix: randomNameSuffix };

/** The last second formatted: writes come many to a second. */
let lastSecond = NaN;
let lastFormatted = '';

/** RFC 3339 with second precision, as metav1.Time marshals. */
export function formatTime(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second === lastSecond) return lastFormatted;
  const formatted = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  lastSecond = second;
  lastFormatted = formatted;
  return formatted;
}

/** Fills name (from generateName), uid and creationTimestamp; clears what users may not set. */
export function fillCreateMeta(obj: KubeObject, src: MetaSources): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) m.name = `${m.generateName}${src.nameSuffix()}`;
  m.uid = src.uid();
  m.creationTimestamp = formatTime(src.now());
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  delete m.generation;
}

/** Carries over the fields a client can never change through update. */
export function keepSystemMeta(obj: KubeObject, old: KubeObject): void {
  const m = obj.metadata;
  const o = old.metadata;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp; else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (o.generation !== undefined) m.generation = o.generation; else delete m.generation;
  delete m.selfLink;
}
