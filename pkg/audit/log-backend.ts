/**
 * --audit-log-path: one JSON event per line, appended to the file ("-" is standard output). Writes
 * are buffered by the stream; close() flushes them.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { AuditEvent } from './event.ts';

export interface AuditBackend {
  write(event: AuditEvent): void;
  close(): Promise<void>;
}

export function logBackend(path: string): AuditBackend {
  if (path === '-') {
    return { write: (e) => { process.stdout.write(`${JSON.stringify(e)}\n`); }, close: async () => undefined };
  }
  const stream: WriteStream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  return {
    write: (e) => { stream.write(`${JSON.stringify(e)}\n`); },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
