import { describe, expect, it } from 'vitest';
import { imageID, normalizeImage, pullError } from './images.ts';

describe('images', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['bitnami/nginx', 'docker.io/bitnami/nginx:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
  ])('%s normalises to %s', (image, want) => {
    expect(normalizeImage(image)).toBe(want);
  });

  it.each([
    ['busybox', false],
    ['registry.k8s.io/e2e-test-images/agnhost:2.53', false],
    ['nonexistent-image', true],
    ['example.com/invalid/image:1', true],
    ['registry.invalid/app:1', true],
    ['my.registry.test:5000/app', true],
    ['invalid.org/app', false],
    ['webserver:404', true],
    ['registry:4040/app:1', false],
  ])('%s fails to pull: %s', (image, fails) => {
    expect(pullError(image) !== undefined).toBe(fails);
  });

  it('reports a digest reference', () => {
    expect(imageID('busybox')).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  });
});
