import { describe, expect, it } from 'vitest';
import { chooseApiserverPort, type PortProbe } from './apiserver-port.ts';

const probe = (busy: number[]): PortProbe => ({
  isFree: async (port) => !busy.includes(port),
  pickFree: async () => 40000,
});

describe('chooseApiserverPort', () => {
  it.each([
    ['6443 when free', undefined, [], 6443],
    ['a free port when 6443 is taken', undefined, [6443], 40000],
    ['APISERVER_PORT when set', '7443', [6443], 7443],
    ['6443 when APISERVER_PORT is blank', ' ', [], 6443],
  ])('picks %s', async (_, env, busy, want) => {
    expect(await chooseApiserverPort(env, probe(busy))).toBe(want);
  });

  it.each([
    ['is not a port', 'abc', [], /not a TCP port/],
    ['is out of range', '70000', [], /not a TCP port/],
    ['is in use', '7443', [7443], /in use/],
  ])('fails when APISERVER_PORT %s', async (_, env, busy, error) => {
    await expect(chooseApiserverPort(env, probe(busy))).rejects.toThrow(error);
  });
});
