import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/index.ts';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:50:00Z'; // AGE 10m

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', creationTimestamp: created, ...meta }, spec, status };
}

const running = { running: { startedAt: '2024-05-01T11:51:00Z' } };
const one = { containers: [{ name: 'app', image: 'nginx' }] };
const two = { containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'envoy' }] };
const ready = { type: 'Ready', status: 'True' };

/** [case, pod, READY, STATUS, RESTARTS] */
const cases: [string, KubeObject, string, string, string][] = [
  ['pending, no status yet', pod(one, { phase: 'Pending' }), '0/1', 'Pending', '0'],
  ['running and ready', pod(one, { phase: 'Running', conditions: [ready], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] }), '1/1', 'Running', '0'],
  [
    'two containers, one crash-looping with restarts',
    pod(two, {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:55:00Z' } } },
        { name: 'sidecar', ready: true, restartCount: 0, state: running },
      ],
    }),
    '1/2', 'CrashLoopBackOff', '3 (5m ago)',
  ],
  ['restarts without a last termination time', pod(one, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 2, state: running }] }), '1/1', 'Running', '2'],
  ['container terminated without reason', pod(one, { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } }] }), '0/1', 'ExitCode:137', '0'],
  ['container killed by signal', pod(one, { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, signal: 9 } } }] }), '0/1', 'Signal:9', '0'],
  ['succeeded', pod(one, { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), '0/1', 'Completed', '0'],
  [
    'one container completed while another still runs, pod ready',
    pod(two, { phase: 'Running', conditions: [ready], containerStatuses: [
      { name: 'app', ready: true, restartCount: 0, state: running },
      { name: 'sidecar', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ] }),
    '1/2', 'Running', '0',
  ],
  [
    'one container completed while another still runs, pod not ready',
    pod(two, { phase: 'Running', containerStatuses: [
      { name: 'app', ready: true, restartCount: 0, state: running },
      { name: 'sidecar', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ] }),
    '1/2', 'NotReady', '0',
  ],
  ['evicted', pod(one, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), '0/1', 'Evicted', '0'],
  ['terminating', pod(one, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] }, { deletionTimestamp: '2024-05-01T11:59:30Z' }), '1/1', 'Terminating', '0'],
  ['terminating but already finished keeps its phase', pod(one, { phase: 'Succeeded' }, { deletionTimestamp: '2024-05-01T11:59:30Z' }), '0/1', 'Succeeded', '0'],
  ['on an unreachable node', pod(one, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: '2024-05-01T11:59:30Z' }), '0/1', 'Unknown', '0'],
  ['scheduling gated', pod(one, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), '0/1', 'SchedulingGated', '0'],
  [
    'init containers not started yet',
    pod({ ...one, initContainers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Pending', initContainerStatuses: [
      { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
      { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ] }),
    '0/1', 'Init:0/2', '0',
  ],
  [
    'second init container running',
    pod({ ...one, initContainers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Pending', initContainerStatuses: [
      { name: 'a', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'b', ready: false, restartCount: 0, state: running },
    ] }),
    '0/1', 'Init:1/2', '0',
  ],
  [
    'init container crash-looping counts its restarts',
    pod({ ...one, initContainers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [
      { name: 'a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:58:00Z' } } },
    ] }),
    '0/1', 'Init:CrashLoopBackOff', '4 (2m ago)',
  ],
  ['init container failed with a reason', pod({ ...one, initContainers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }] }), '0/1', 'Init:Error', '0'],
  ['init container failed without a reason', pod({ ...one, initContainers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] }), '0/1', 'Init:ExitCode:3', '0'],
  ['init container killed by signal', pod({ ...one, initContainers: [{ name: 'a' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, signal: 15 } } }] }), '0/1', 'Init:Signal:15', '0'],
  [
    'native sidecar counts as a container once started',
    pod({ ...one, initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] }, {
      phase: 'Running', conditions: [ready, { type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:52:00Z' } } }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
    }),
    '2/2', 'Running', '1 (8m ago)',
  ],
];

describe('pod printer', () => {
  it.each(cases)('%s', (_name, obj, readyCell, statusCell, restartsCell) => {
    const { rows } = printTable('', 'pods', [obj], now);
    expect(rows[0]?.cells.slice(0, 5)).toEqual(['web-0', readyCell, statusCell, restartsCell, '10m']);
  });

  it('prints every column, wide ones included, with IP, node, nominated node and readiness gates', () => {
    const obj = pod(
      { ...one, nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00::7' }], nominatedNodeName: 'node-2',
        conditions: [ready, { type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] },
    );
    const table = printTable('', 'pods', [obj], now);
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
    expect(table.rows).toEqual([{ cells: ['web-0', '1/1', 'Running', '0', '10m', '10.244.1.7', 'node-1', 'node-2', '1/2'], objectIndex: 0 }]);
  });

  it('marks finished pods with a Completed row condition', () => {
    const { rows } = printTable('', 'pods', [pod(one, { phase: 'Succeeded' }), pod(one, { phase: 'Failed' }), pod(one, { phase: 'Running' })], now);
    expect(rows.map((r) => r.conditions)).toEqual([
      [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
      [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
      undefined,
    ]);
  });
});
