/**
 * Static tokens (--token-auth-file): a CSV file of `token,user,uid,"group1,group2"` records, as
 * k8s.io/apiserver/pkg/authentication/token/tokenfile reads it. Tokens of the file are valid for
 * any audience (the authenticator is audience-agnostic upstream).
 */
import { readFileSync } from 'node:fs';
import { logger } from '../../util/log.ts';
import type { UserInfo } from '../user.ts';
import type { TokenAuthenticator } from './bearer-token.ts';

const log = logger('token-file');

export type StaticTokens = ReadonlyMap<string, UserInfo>;

/**
 * Go's encoding/csv with FieldsPerRecord = -1: comma-separated fields, double-quoted fields may hold
 * commas, quotes ("") and newlines; blank lines are skipped; a stray quote is an error.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) { // blank line
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const record: string[] = [];
    const recordLine = line;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const startCol = i;
        i++;
        for (;;) {
          if (i >= n) throw new Error(`record on line ${recordLine}; parse error on line ${line + 1}, column 0: extraneous or missing " in quoted-field`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw new Error(`parse error on line ${line}, column ${i - startCol + 1}: extraneous or missing " in quoted-field`);
        }
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new Error(`parse error on line ${line}, column ${i - start + 1}: bare " in non-quoted-field`);
          i++;
        }
        field = text.slice(start, i);
      }
      record.push(field);
      if (i < n && text[i] === ',') { i++; continue; }
      if (i < n) { i += text[i] === '\r' ? 2 : 1; line++; }
      break;
    }
    records.push(record);
  }
  return records;
}

/** Reads a token file; throws with upstream's message for a record of fewer than 3 columns. */
export function readTokenFile(path: string): StaticTokens {
  return parseTokenFile(readFileSync(path, 'utf8'), path);
}

export function parseTokenFile(text: string, path: string): StaticTokens {
  const tokens = new Map<string, UserInfo>();
  let recordNum = 0;
  for (const record of parseCsv(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    recordNum++;
    const [token, name, uid] = record as [string, string, string];
    if (token === '') {
      log.warn(`empty token has been found in token file '${path}', record number '${recordNum}'`);
      continue;
    }
    if (tokens.has(token)) log.warn(`duplicate token has been found in token file '${path}', record number '${recordNum}'`);
    // strings.Split as upstream: an empty fourth column is one empty group.
    const user: UserInfo = { username: name, uid, groups: record.length >= 4 ? record[3]!.split(',') : [] };
    tokens.set(token, user);
  }
  return tokens;
}

export function staticTokenAuthenticator(tokens: StaticTokens): TokenAuthenticator {
  return (token, audiences) => {
    const user = tokens.get(token);
    if (!user) return null;
    return { user: { ...user, groups: [...user.groups] }, audiences: [...audiences] };
  };
}
