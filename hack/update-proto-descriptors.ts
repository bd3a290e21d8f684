/**
 * Regenerates pkg/protobuf/descriptors/k8s.json: the protobuf schema of every built-in Kubernetes
 * type, taken from a kubectl binary, so the apiserver can speak `application/vnd.kubernetes.protobuf`
 * without hand-written .proto files and without kubectl at runtime.
 *
 * Where the facts come from:
 * - kubectl embeds each k8s.io/…/generated.proto as a gzipped FileDescriptorProto (the gogo
 *   `fileDescriptor_…` byte slices). We find every gzip member and keep those naming a k8s.io/ file.
 * - The descriptors still carry gogoproto field options: `nullable=false` marks a Go value (not a
 *   pointer) field, which is how we tell "unset" from "set to zero" (`replicas: 0`).
 * - JSON names, `json:",inline"` and `omitempty` are not in the descriptors but in the Go struct
 *   tags, which the binary keeps as reflect metadata: `<flags><len>GoFieldName<len>json:"…" protobuf:"…"`.
 *   Tags are shared between structs, so each message is matched to the Go struct(s) whose field
 *   array (ELF reflect data: {name, type, offset} per field) holds exactly its fields, by Go name
 *   (gogo `customname`), number and proto name. Unmatched messages fall back to per-field tags.
 *
 * Output options (read by pkg/protobuf/schema.ts), only written when they differ from the default:
 *   field  "(gogoproto.nullable)": false   Go value field: always present in Go, so presence means nothing
 *   field  "(k8s.omitempty)": false        value scalar tagged without omitempty: Go prints its zero
 *   field  "(k8s.json)": "<name>"          JSON name differs from the proto field name
 *   field  "(k8s.inline)": true            struct is inlined into its parent in JSON
 *   type   "(k8s.slice)": true             named Go slice (`message X { repeated T items = 1; }`), JSON array
 *
 * Usage: tsx hack/update-proto-descriptors.ts [--kubectl <binary>] [--out <file>]
 * Deterministic: the same binary always gives byte-identical output.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import protobuf from 'protobufjs';
import type {
  IDescriptorProto, IFieldDescriptorProto, IFileDescriptorProto,
} from 'protobufjs/ext/descriptor.generated.js';

// A CommonJS module whose exports Node cannot detect statically: load it with require.
const descriptorExt = createRequire(import.meta.url)('protobufjs/ext/descriptor') as typeof import('protobufjs/ext/descriptor.js');

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultOut = join(repoRoot, 'pkg/protobuf/descriptors/k8s.json');

/** gogoproto extension numbers (github.com/gogo/protobuf/gogoproto/gogo.proto). */
const gogo = { nullable: 65001, customname: 65004, goprotoStringer: 64003 } as const;

interface GogoFieldOptions { gogoNullable?: boolean; gogoCustomname?: string }
interface GogoMessageOptions { gogoGoprotoStringer?: boolean }

function parseArgs(argv: string[]): { kubectl: string; out: string } {
  let kubectl = process.env.KUBECTL_BINARY ?? '';
  let out = defaultOut;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--kubectl' && value) { kubectl = value; i++; } else if (argv[i] === '--out' && value) { out = value; i++; } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!kubectl) {
    // `kubectl` on PATH is a dispatcher; the versioned clients sit next to the file it links to.
    const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    kubectl = join(dirname(realpathSync(onPath)), 'kubectl.1.33');
  }
  return { kubectl, out };
}

/** Every gzip member in the binary whose content is a FileDescriptorProto named k8s.io/… */
function extractDescriptors(binary: Buffer): Map<string, Buffer> {
  const magic = Buffer.from([0x1f, 0x8b, 0x08]);
  const files = new Map<string, Buffer>();
  for (let at = binary.indexOf(magic); at !== -1; at = binary.indexOf(magic, at + 3)) {
    const inflated = inflateGzipMember(binary, at);
    if (!inflated) continue;
    // A FileDescriptorProto starts with field 1 (name), wire type 2: tag byte 0x0a.
    const nameLength = inflated[1] ?? 0;
    if (inflated[0] !== 0x0a || nameLength >= 0x80) continue;
    const name = inflated.subarray(2, 2 + nameLength).toString('latin1');
    if (!name.startsWith('k8s.io/') || !name.endsWith('.proto')) continue;
    const seen = files.get(name);
    if (seen && !seen.equals(inflated)) throw new Error(`two different descriptors named ${name}`);
    files.set(name, inflated);
  }
  return files;
}

/**
 * Inflates the single gzip member starting at `at`. gunzip would run on into a member that
 * directly follows (Go places the descriptors back to back), so inflate the raw deflate body.
 */
function inflateGzipMember(binary: Buffer, at: number): Buffer | undefined {
  const flags = binary[at + 3] ?? 0;
  if ((flags & 0xe0) !== 0) return undefined;
  let body = at + 10;
  if (flags & 0x04) body += 2 + (binary.readUInt16LE(body) || 0); // FEXTRA
  if (flags & 0x08) body = binary.indexOf(0, body) + 1; // FNAME
  if (flags & 0x10) body = binary.indexOf(0, body) + 1; // FCOMMENT
  if (flags & 0x02) body += 2; // FHCRC
  if (body <= at) return undefined;
  try {
    // SYNC_FLUSH: tolerate a window that ends before the member does.
    return inflateRawSync(binary.subarray(body, body + (1 << 20)), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/** One Go struct field as the binary's reflect data records it: `<flags><len>Name<len>tag`. */
interface GoField {
  /** File offset of the record (its flags byte); struct field arrays point at it. */
  at: number;
  /** GoName|number|protoName: what a proto field and its Go field share. */
  key: string;
  json: string;
  omitempty: boolean;
  inline: boolean;
}

/** Every Go struct field record whose tag has both json:"…" and protobuf:"…". */
function scanGoFields(binary: Buffer): GoField[] {
  const fields: GoField[] = [];
  const needle = Buffer.from('protobuf:"');
  const jsonKey = Buffer.from('json:"');
  for (let at = binary.indexOf(needle); at !== -1; at = binary.indexOf(needle, at + needle.length)) {
    const tagStart = binary.lastIndexOf(jsonKey, at);
    if (tagStart < 0 || at - tagStart > 400) continue;
    // Tag length is a uvarint (1 or 2 bytes) just before the tag.
    const b1 = binary[tagStart - 1] ?? 0;
    const b2 = binary[tagStart - 2] ?? 0;
    let tagLength: number; let nameEnd: number;
    if (b1 < 0x80 && b2 < 0x80) { tagLength = b1; nameEnd = tagStart - 1; } else if (b2 >= 0x80 && b1 < 0x80) { tagLength = (b2 & 0x7f) | (b1 << 7); nameEnd = tagStart - 2; } else continue;
    const tag = binary.subarray(tagStart, tagStart + tagLength).toString('latin1');
    if (tagStart + tagLength <= at || /[\x00-\x1f]/.test(tag)) continue;
    const name = readGoName(binary, nameEnd);
    const json = /(?:^| )json:"([^"]*)"/.exec(tag)?.[1];
    const pb = /(?:^| )protobuf:"([^"]*)"/.exec(tag)?.[1];
    if (!name || json === undefined || pb === undefined) continue;
    const [jsonName = '', ...jsonOptions] = json.split(',');
    const [, number, ...pbOptions] = pb.split(',');
    // A tag without name= (EphemeralContainerCommon) gets the lower-camel Go name in the .proto.
    const protoName = pbOptions.find((o) => o.startsWith('name='))?.slice(5) ?? name.name.charAt(0).toLowerCase() + name.name.slice(1);
    fields.push({
      at: name.start - 2, key: `${name.name}|${number}|${protoName}`,
      json: jsonName, omitempty: jsonOptions.includes('omitempty'), inline: jsonOptions.includes('inline'),
    });
  }
  return fields;
}

/** The Go field name ending at `end`: `<flags><len>Name`, flags having the "has tag" bit. */
function readGoName(binary: Buffer, end: number): { name: string; start: number } | undefined {
  for (let length = 1; length < 100; length++) {
    const start = end - length;
    if (binary[start - 1] !== length) continue;
    const flags = binary[start - 2] ?? 0;
    const name = binary.subarray(start, end).toString('latin1');
    if ((flags & 0x02) !== 0 && /^[A-Z][A-Za-z0-9_]*$/.test(name)) return { name, start };
  }
  return undefined;
}

interface Section { addr: number; offset: number; size: number; exec: boolean }

/** Loaded sections of a 64-bit little-endian ELF file (Go's linux/amd64 and arm64 binaries). */
function elfSections(binary: Buffer): Section[] {
  if (binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2 || binary[5] !== 1) throw new Error('not a 64-bit little-endian ELF binary');
  const shoff = Number(binary.readBigUInt64LE(0x28));
  const shentsize = binary.readUInt16LE(0x3a);
  const sections: Section[] = [];
  for (let i = 0; i < binary.readUInt16LE(0x3c); i++) {
    const sh = shoff + i * shentsize;
    const type = binary.readUInt32LE(sh + 4);
    const flags = Number(binary.readBigUInt64LE(sh + 8));
    const addr = Number(binary.readBigUInt64LE(sh + 16));
    // Allocated and present in the file (not NOBITS).
    if ((flags & 0x2) === 0 || type === 8 || addr === 0) continue;
    sections.push({ addr, offset: Number(binary.readBigUInt64LE(sh + 24)), size: Number(binary.readBigUInt64LE(sh + 32)), exec: (flags & 0x4) !== 0 });
  }
  return sections;
}

/**
 * Groups field records into the Go structs that own them. A struct type's field array holds
 * {name *byte, typ *rtype, offset uintptr} per field, first offset 0: find the entries that
 * point at our records and walk back to offset 0 to find where each struct's array starts.
 */
function goStructs(binary: Buffer, fields: GoField[]): GoField[][] {
  const sections = elfSections(binary);
  const toAddr = (offset: number): number | undefined => {
    const s = sections.find((x) => offset >= x.offset && offset < x.offset + x.size);
    return s ? s.addr + offset - s.offset : undefined;
  };
  const isPointer = (value: bigint): boolean => sections.some((x) => value >= BigInt(x.addr) && value < BigInt(x.addr + x.size));
  const byAddr = new Map<bigint, GoField>();
  for (const f of fields) {
    const addr = toAddr(f.at);
    if (addr !== undefined) byAddr.set(BigInt(addr), f);
  }
  const structs = new Map<number, GoField[]>();
  for (const section of sections.filter((x) => !x.exec)) {
    const end = section.offset + section.size - 24;
    for (let p = section.offset + ((8 - (section.addr % 8)) % 8); p <= end; p += 8) {
      if (binary.readUInt32LE(p + 4) !== 0) continue; // fast path: our addresses are below 4 GiB
      const field = byAddr.get(BigInt(binary.readUInt32LE(p)));
      if (!field) continue;
      let start = p;
      for (let steps = 0; steps < 500 && start >= section.offset && binary.readBigUInt64LE(start + 16) !== 0n; steps++) start -= 24;
      if (start < section.offset || binary.readBigUInt64LE(start + 16) !== 0n || !isPointer(binary.readBigUInt64LE(start))) continue;
      const list = structs.get(start) ?? [];
      list.push(field);
      structs.set(start, list);
    }
  }
  return [...structs.values()];
}

/** JSON facts per proto message, found through the Go struct with the same fields. */
class GoFacts {
  private readonly bySignature = new Map<string, GoField[][]>();
  private readonly byKey = new Map<string, GoField[]>();

  constructor(binary: Buffer) {
    const fields = scanGoFields(binary);
    for (const f of fields) this.byKey.set(f.key, [...(this.byKey.get(f.key) ?? []), f]);
    let structs: GoField[][] = [];
    try {
      structs = goStructs(binary, fields);
    } catch (err) {
      process.stderr.write(`warning: ${(err as Error).message}; using per-field tags only (less exact omitempty)\n`);
    }
    for (const struct of structs) {
      const signature = struct.map((f) => f.key).sort().join(',');
      this.bySignature.set(signature, [...(this.bySignature.get(signature) ?? []), struct]);
    }
  }

  /**
   * Facts for each field key of one message. Every Go struct with exactly these protobuf fields
   * must agree (v1 and v1beta1 copies of a type usually do); otherwise, or when no struct
   * matches, fall back to the field's tags across all structs, dropping facts they disagree on.
   */
  forMessage(keys: string[]): { matched: boolean; facts: Map<string, Partial<GoField>> } {
    const structs = this.bySignature.get([...keys].sort().join(',')) ?? [];
    const facts = new Map<string, Partial<GoField>>();
    for (const key of keys) {
      const fromStructs = structs.map((s) => s.find((f) => f.key === key)).filter((f): f is GoField => f !== undefined);
      facts.set(key, agreed(fromStructs.length > 0 ? fromStructs : this.byKey.get(key) ?? []));
    }
    return { matched: structs.length > 0, facts };
  }
}

function agreed(candidates: GoField[]): Partial<GoField> {
  const out: Partial<GoField> = {};
  for (const fact of ['json', 'omitempty', 'inline'] as const) {
    const values = new Set(candidates.map((c) => c[fact]));
    if (values.size === 1) Object.assign(out, { [fact]: candidates[0]?.[fact] });
  }
  return out;
}

/** Only the options present on the wire: decoded messages inherit defaults (false, '') from their prototype. */
function ownOptions<T>(options: object | null | undefined): Partial<T> {
  return options ? { ...options } as Partial<T> : {};
}

interface FieldMeta { valueField: boolean; json?: string; inline: boolean; omitempty: boolean }

interface Stats { fields: number; untagged: string[]; unmatched: string[] }

function goKey(field: IFieldDescriptorProto): string {
  const name = field.name ?? '';
  const goName = ownOptions<GogoFieldOptions>(field.options).gogoCustomname || name.charAt(0).toUpperCase() + name.slice(1);
  return `${goName}|${field.number}|${name}`;
}

function messageMeta(message: IDescriptorProto, facts: GoFacts, where: string, stats: Stats): Map<string, FieldMeta> {
  const fields = message.field ?? [];
  const { matched, facts: found } = facts.forMessage(fields.map(goKey));
  if (!matched && fields.length > 0) stats.unmatched.push(where);
  const out = new Map<string, FieldMeta>();
  for (const field of fields) {
    const name = field.name ?? '';
    const info = found.get(goKey(field)) ?? {};
    stats.fields++;
    if (info.json === undefined) stats.untagged.push(`${where}.${name}`);
    const isMessage = field.type === 11 || (field.type as unknown) === 'TYPE_MESSAGE';
    out.set(name, {
      valueField: ownOptions<GogoFieldOptions>(field.options).gogoNullable === false,
      json: info.json && !info.inline && info.json !== '-' && info.json !== name ? info.json : undefined,
      inline: Boolean(info.inline && isMessage),
      omitempty: info.omitempty !== false,
    });
  }
  return out;
}

function isNamedSlice(message: IDescriptorProto): boolean {
  const options = ownOptions<GogoMessageOptions>(message.options);
  const only = message.field?.length === 1 ? message.field[0] : undefined;
  return options.gogoGoprotoStringer === false && only?.name === 'items' && only.label === 3;
}

function main(): void {
  const { kubectl, out } = parseArgs(process.argv.slice(2));
  const version = (JSON.parse(execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as
    { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown';
  const binary = readFileSync(kubectl);

  // Teach protobufjs the gogo options we need; without them the descriptor decoder drops them.
  descriptorExt.FieldOptions.add(new protobuf.Field('gogoNullable', gogo.nullable, 'bool'));
  descriptorExt.FieldOptions.add(new protobuf.Field('gogoCustomname', gogo.customname, 'string'));
  descriptorExt.MessageOptions.add(new protobuf.Field('gogoGoprotoStringer', gogo.goprotoStringer, 'bool'));

  const raw = extractDescriptors(binary);
  const names = [...raw.keys()].sort();
  if (!names.includes('k8s.io/api/core/v1/generated.proto')) throw new Error(`${kubectl}: no Kubernetes descriptors found (found ${names.length})`);
  const facts = new GoFacts(binary);
  const stats: Stats = { fields: 0, untagged: [], unmatched: [] };
  const fieldOptions = new Map<string, FieldMeta>();
  const sliceTypes = new Set<string>();

  const files = names.map((name) => {
    const file = descriptorExt.FileDescriptorProto.decode(raw.get(name) as Buffer) as unknown as IFileDescriptorProto;
    const visit = (message: IDescriptorProto, scope: string): void => {
      const full = `${scope}.${message.name}`;
      if (isNamedSlice(message)) sliceTypes.add(full);
      // Keep map_entry: it is what turns `repeated XEntry` into a map. Entries have no Go struct.
      const mapEntry = ownOptions<{ mapEntry: boolean }>(message.options).mapEntry === true;
      if (!mapEntry) for (const [name, meta] of messageMeta(message, facts, full, stats)) fieldOptions.set(`${full}.${name}`, meta);
      for (const field of message.field ?? []) field.options = undefined;
      message.options = mapEntry ? { mapEntry: true } : undefined;
      for (const nested of message.nestedType ?? []) visit(nested, full);
    };
    for (const message of file.messageType ?? []) visit(message, `.${file.package}`);
    file.options = undefined;
    // gogo.proto only contributes the options stripped above.
    file.dependency = ((file.dependency ?? []) as string[]).filter((d) => d.startsWith('k8s.io/'));
    return file;
  });

  const root = protobuf.Root.fromDescriptor({ file: files }, { keepCase: true });
  const applyOptions = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) {
        child.options = sliceTypes.has(child.fullName) ? { '(k8s.slice)': true } : undefined;
        for (const field of child.fieldsArray) {
          const meta = fieldOptions.get(field.fullName);
          const options: Record<string, unknown> = {};
          if (meta?.valueField && !field.repeated && !field.map) options['(gogoproto.nullable)'] = false;
          if (meta?.json) options['(k8s.json)'] = meta.json;
          if (meta?.inline) options['(k8s.inline)'] = true;
          const scalar = !field.repeated && !field.map && !(field.resolvedType instanceof protobuf.Type);
          if (meta?.valueField && scalar && !meta.omitempty) options['(k8s.omitempty)'] = false;
          field.options = Object.keys(options).length > 0 ? options : undefined;
        }
      }
      if (child instanceof protobuf.Namespace) {
        if (!(child instanceof protobuf.Type)) child.options = undefined;
        applyOptions(child);
      }
    }
  };
  applyOptions(root);

  const artefact = { source: `kubectl ${version}`, files: names, root: root.toJSON() };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(artefact)}\n`);
  process.stdout.write(`wrote ${out}: ${names.length} descriptors from kubectl ${version}, `
    + `${stats.fields} fields (${stats.untagged.length} without a Go tag), ${stats.unmatched.length} messages without a matching Go struct\n`);
  if (process.env.VERBOSE) for (const line of stats.unmatched) process.stdout.write(`  no Go struct found: ${line}\n`);
  if (process.env.VERBOSE) for (const line of stats.untagged) process.stdout.write(`  no Go tag found: ${line}\n`);
}

main();
