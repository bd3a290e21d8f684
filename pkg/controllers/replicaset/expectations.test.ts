import { describe, expect, it } from 'vitest';
import { Expectations } from './expectations.ts';

describe('Expectations', () => {
  it('is satisfied for an unknown key', () => {
    expect(new Expectations().satisfied('ns/rs')).toBe(true);
  });
  it('waits until every expected creation is observed', () => {
    const e = new Expectations();
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });
  it('counts only deletions of the pods it is deleting, each once', () => {
    const e = new Expectations();
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/other');
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.pending('ns/rs')).toEqual([0, 1]);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });
  it('expires after the timeout, so a lost event cannot wedge the controller', () => {
    let t = 0;
    const e = new Expectations(() => t, 5 * 60_000);
    e.expectCreations('ns/rs', 1);
    t = 5 * 60_000;
    expect(e.satisfied('ns/rs')).toBe(false);
    t += 1;
    expect(e.satisfied('ns/rs')).toBe(true);
  });
  it('forgets a deleted controller', () => {
    const e = new Expectations();
    e.expectCreations('ns/rs', 3);
    e.delete('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    expect(e.pending('ns/rs')).toBeUndefined();
  });
});
