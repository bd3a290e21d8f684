/**
 * The simulated image store: which images "pull" and what the runtime reports for them.
 * An image cannot be pulled when its reference names a registry that cannot resolve (a host under
 * the reserved TLDs .invalid, .test, .example or .local, RFC 2606/6762) or when any part of the
 * name contains `invalid`, `nonexistent`, `notexist` or `does-not-exist`, or its tag is `404` — the
 * names tests use for images that do not exist (upstream's deployment tests roll to `webserver:404`).
 * Everything else is "already present on machine".
 */
import { createHash } from 'node:crypto';

const missingWords = /invalid|nonexistent|notexist|does-not-exist|:404$/i;
const unresolvableHost = /\.(invalid|test|example|local)(:\d+)?$/i;

/** containerd's normalised name: docker.io/library/<name>:latest for short names. */
export function normalizeImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasRegistry ? image : `docker.io/${slash < 0 ? 'library/' : ''}${image}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !name.includes('@')) name += ':latest';
  return name;
}

function registryOf(normalized: string): string {
  return normalized.slice(0, normalized.indexOf('/'));
}

/** Why pulling `image` fails (containerd's error text), or undefined when it pulls. */
export function pullError(image: string): string | undefined {
  const ref = normalizeImage(image);
  const host = registryOf(ref);
  if (unresolvableHost.test(host)) {
    return `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: Head "https://${host}/v2/": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  }
  if (missingWords.test(ref.slice(host.length))) {
    return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
  }
  return undefined;
}

/** The image's reference by digest, as the runtime reports it (stable per image name). */
export function imageID(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  return `${repo}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}
