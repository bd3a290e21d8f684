/**
 * Conformance: the server's /version (upstream test/e2e/apimachinery/server_version.go).
 */
import { describe, expect, it } from 'vitest';
import { VersionApi } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

describe('server version', () => {
  const f = newFramework('server-version');

  it('Confirm a server version', async () => {
    // Request ServerVersion
    const version = await f.kc.makeApiClient(VersionApi).getCode();

    // Confirm major version: a single digit 1-9, nothing else
    expect(/[1-9]/.exec(version.major)?.[0] ?? '', 'unable to find major version').toBe(version.major);

    // Confirm minor version: its first run of digits is all of its digits (a trailing "+" is allowed)
    const cleanMinorVersion = version.minor.replace(/[^0-9]+/g, '');
    expect(/[0-9]+/.exec(version.minor)?.[0] ?? '', 'unable to find minor version').toBe(cleanMinorVersion);
  });
});
