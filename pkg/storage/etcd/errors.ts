/** Storage-level failures; pkg/registry/generic/interpret-errors.ts maps them per verb to a Status. */
export type StorageErrorCode = 'NotFound' | 'Exists' | 'Conflict' | 'Unreachable' | 'Compacted';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string;
  /** For Compacted: the oldest revision still available. */
  readonly revision?: number;

  constructor(code: StorageErrorCode, key: string, message?: string, revision?: number) {
    super(message ?? `${code}: ${key}`);
    this.code = code;
    this.key = key;
    this.revision = revision;
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

/** etcd3's errors name the failure in the class name and message; map them to storage codes. */
export function fromEtcdError(err: unknown, key: string): unknown {
  if (!(err instanceof Error)) return err;
  const text = `${err.name} ${err.message}`;
  if (/compacted/i.test(text)) return new StorageError('Compacted', key, err.message);
  if (/unavailable|deadline|connect|ECONNREFUSED|GRPCConnectFailed|no connection/i.test(text)) {
    return new StorageError('Unreachable', key, err.message);
  }
  return err;
}
