import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeStatusResponse, decodeTxnResponse, encodeTxnFrame, type DirectTxn } from './kv-direct.ts';

// etcd's own message definitions, as shipped with the etcd3 client, check the hand-written codec.
const protoFile = fileURLToPath(new URL('../../../node_modules/etcd3/proto/rpc.proto', import.meta.url));
const root = protobuf.loadSync(protoFile);
const TxnRequest = root.lookupType('etcdserverpb.TxnRequest');
const TxnResponse = root.lookupType('etcdserverpb.TxnResponse');
const StatusResponse = root.lookupType('etcdserverpb.StatusResponse');

const toObject = (m: protobuf.Message) => TxnRequest.toObject(m, { longs: String, enums: String, defaults: false, oneofs: true });

function decodeFrame(frame: Buffer): Record<string, unknown> {
  expect(frame[0]).toBe(0);
  expect(frame.readUInt32BE(1)).toBe(frame.length - 5);
  return toObject(TxnRequest.decode(frame.subarray(5)));
}

describe('encodeTxnFrame', () => {
  const key = Buffer.from('/registry/pods/ns/p');
  const value = Buffer.from('x'.repeat(1800));

  it('create-if-absent', () => {
    const t: DirectTxn = { key, compare: { target: 'Create', createRevision: 0 }, success: [{ put: { key, value } }], failure: [] };
    expect(decodeFrame(encodeTxnFrame(t))).toEqual({
      compare: [{ target: 'Create', key, createRevision: '0', targetUnion: 'createRevision' }],
      success: [{ requestPut: { key, value }, request: 'requestPut' }],
    });
  });

  it('compare-and-swap with a large revision and value', () => {
    const big = Buffer.alloc(20_000, 7);
    const t: DirectTxn = { key, compare: { target: 'Mod', modRevision: 2 ** 40 + 5 }, success: [{ put: { key, value: big } }], failure: [] };
    expect(decodeFrame(encodeTxnFrame(t))).toEqual({
      compare: [{ target: 'Mod', key, modRevision: String(2 ** 40 + 5), targetUnion: 'modRevision' }],
      success: [{ requestPut: { key, value: big }, request: 'requestPut' }],
    });
  });

  it('guarded delete that reads the key on failure', () => {
    const t: DirectTxn = { key, compare: { target: 'Mod', modRevision: 300 }, success: [{ deleteKey: key }], failure: [{ rangeKey: key }] };
    expect(decodeFrame(encodeTxnFrame(t))).toEqual({
      compare: [{ target: 'Mod', key, modRevision: '300', targetUnion: 'modRevision' }],
      success: [{ requestDeleteRange: { key }, request: 'requestDeleteRange' }],
      failure: [{ requestRange: { key }, request: 'requestRange' }],
    });
  });

  it('an empty value', () => {
    const t: DirectTxn = { key, compare: { target: 'Create', createRevision: 0 }, success: [{ put: { key, value: Buffer.alloc(0) } }], failure: [] };
    expect(decodeFrame(encodeTxnFrame(t)).success).toEqual([{ requestPut: { key }, request: 'requestPut' }]);
  });
});

describe('decodeTxnResponse', () => {
  const encode = (obj: Record<string, unknown>): Buffer => Buffer.from(TxnResponse.encode(TxnResponse.fromObject(obj)).finish());

  it('reads the revision, the outcome and range results', () => {
    const kv = { key: Buffer.from('k'), value: Buffer.from('v'), modRevision: 9, createRevision: 3 };
    const buf = encode({
      header: { clusterId: '12345678901234', memberId: '99', revision: String(2 ** 45 + 1), raftTerm: 4 },
      succeeded: false,
      responses: [{ responseRange: { header: { revision: 7 }, kvs: [kv, kv], count: 2 } }, { responsePut: { header: {} } }],
    });
    expect(decodeTxnResponse(buf)).toEqual({
      header: { revision: String(2 ** 45 + 1) }, succeeded: false,
      responses: [{ response_range: { kvs: [null, null] } }, {}],
    });
  });

  it('a successful create', () => {
    expect(decodeTxnResponse(encode({ header: { revision: 42 }, succeeded: true, responses: [{ responsePut: { header: { revision: 42 } } }] })))
      .toEqual({ header: { revision: '42' }, succeeded: true, responses: [{}] });
  });

  it('throws on a truncated message', () => {
    const buf = encode({ header: { revision: 42 }, succeeded: true });
    expect(() => decodeTxnResponse(buf.subarray(0, 3))).toThrow();
  });
});

describe('decodeStatusResponse', () => {
  it('reads 64-bit member ids exactly, and the raft term', () => {
    const buf = Buffer.from(StatusResponse.encode(StatusResponse.fromObject({
      header: { clusterId: '14841639068965178418', memberId: '10276657743932975437', revision: 12, raftTerm: 3 },
      version: '3.4.23', dbSize: 20480, leader: '10276657743932975437', raftIndex: 99, raftTerm: 3, raftAppliedIndex: 99,
    })).finish());
    expect(decodeStatusResponse(buf)).toEqual({ memberId: 10276657743932975437n, leader: 10276657743932975437n, raftTerm: 3 });
  });

  it('a member without a leader', () => {
    const buf = Buffer.from(StatusResponse.encode(StatusResponse.fromObject({ header: { memberId: '7' }, raftTerm: 5 })).finish());
    expect(decodeStatusResponse(buf)).toEqual({ memberId: 7n, leader: 0n, raftTerm: 5 });
  });
});
