/**
 * Generates openapi/definitions.json: the swagger-2.0 `definitions` of every type the apiserver
 * serves, keyed like the real spec (`io.k8s.api.core.v1.Pod`, ...).
 *
 * Sources, in order of authority:
 *  - node_modules/kubernetes-types/*.d.ts, read with the TypeScript compiler API: every field,
 *    its doc text (JSDoc) and whether it is optional (non-optional members become `required`);
 *  - @kubernetes/client-node's model metadata for what the .d.ts files lose: number formats
 *    (int32/int64/double) and `byte` strings;
 *  - hack/openapi-overlay.ts for patch keys, list types and a few GVKs.
 *
 * It also writes openapi/openapiv2-proto.json, the protobuf schema of gnostic's openapi.v2
 * Document (protobufjs JSON), which /openapi/v2 needs because kubectl asks for it as protobuf.
 * kubectl embeds that FileDescriptorProto uncompressed (protoc-gen-go `rawDesc`), so it is cut
 * out of a kubectl binary ($KUBECTL_BINARY, else kubectl.1.33 beside the kubectl on PATH).
 *
 * Usage: `npx tsx hack/update-openapi.ts` rewrites the file; `--verify` exits 1 when it is stale.
 * Output is deterministic (keys sorted) so `make verify` can diff it.
 */
import ts from 'typescript';
import protobuf from 'protobufjs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourceTable } from '../pkg/resources/index.ts';
import { definitionExtensions, propertyExtensions, type OverlayExtensions } from './openapi-overlay.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
interface Gvk { group: string; kind: string; version: string }

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = join(root, 'node_modules/kubernetes-types');
const outFile = join(root, 'openapi/definitions.json');
const protoOutFile = join(root, 'openapi/openapiv2-proto.json');

const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const intOrStringDescription = 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';

/** One parsed .d.ts module ("core/v1", "meta/v1", "runtime", ...). */
interface Module {
  name: string;
  decls: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
  /** Imported name → module it comes from. */
  imports: Map<string, string>;
}

function loadModules(): Map<string, Module> {
  const modules = new Map<string, Module>();
  const walk = (dir: string): void => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, ent.name);
      if (ent.isDirectory()) walk(full);
      else if (ent.name.endsWith('.d.ts')) {
        const name = posix.relative(typesDir, full).replace(/\.d\.ts$/, '');
        modules.set(name, parseModule(name, readFileSync(full, 'utf8')));
      }
    }
  };
  walk(typesDir);
  return modules;
}

function parseModule(name: string, text: string): Module {
  const sf = ts.createSourceFile(`${name}.d.ts`, text, ts.ScriptTarget.Latest, true);
  const mod: Module = { name, decls: new Map(), imports: new Map() };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const from = posix.normalize(posix.join(posix.dirname(name), st.moduleSpecifier.text));
      const bindings = st.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) mod.imports.set(el.name.text, from);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      mod.decls.set(st.name.text, st);
    }
  }
  return mod;
}

/** The Go package path of a kubernetes-types module, as the real spec spells definition names. */
function packagePrefix(module: string): string {
  const fixed: Record<string, string> = {
    'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
    'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
    runtime: 'io.k8s.apimachinery.pkg.runtime',
    version: 'io.k8s.apimachinery.pkg.version',
  };
  if (fixed[module]) return fixed[module];
  if (module.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${module.split('/')[1]}`;
  return `io.k8s.api.${module.replace('/', '.')}`;
}

function docOf(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  const text = last ? ts.getTextOfJSDocComment(last.comment) : undefined;
  return text ? text.trim() : undefined;
}

/** Number/byte formats from @kubernetes/client-node: class name → field → format. */
type Formats = Map<string, Map<string, string>>;

async function loadFormats(): Promise<Formats> {
  // The package's main entry pulls in an HTTP stack that needs Node 22; the models alone load fine.
  const models = await import('@kubernetes/client-node/dist/gen/models/all.js') as Record<string, unknown>;
  const out: Formats = new Map();
  for (const [cls, value] of Object.entries(models)) {
    const map = (value as { attributeTypeMap?: { baseName: string; format: string }[] } | undefined)?.attributeTypeMap;
    if (!Array.isArray(map)) continue;
    out.set(cls, new Map(map.filter((a) => a.format).map((a) => [a.baseName, a.format])));
  }
  return out;
}

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** client-node names a model `V1Pod`, or `CoreV1Event` when two groups share a type name. */
function formatOf(formats: Formats, module: string, typeName: string, field: string): string | undefined {
  const parts = module.split('/');
  const version = pascal(parts[parts.length - 1] ?? '');
  const group = parts.length > 1 && parts[0] !== 'meta' ? pascal(parts[0] ?? '') : '';
  for (const cls of [`${group}${version}${typeName}`, `${version}${typeName}`]) {
    const f = formats.get(cls);
    if (f) return f.get(field);
  }
  return undefined;
}

class Generator {
  readonly defs = new Map<string, JsonObject>();
  private readonly queue: [Module, string][] = [];
  readonly warnings: string[] = [];

  constructor(private readonly modules: Map<string, Module>, private readonly formats: Formats) {}

  /** Queues module.name for emission and returns its definition key. */
  ref(module: Module, name: string): string {
    const key = `${packagePrefix(module.name)}.${name}`;
    if (!this.defs.has(key)) {
      this.defs.set(key, {});
      this.queue.push([module, name]);
    }
    return key;
  }

  drain(): void {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) this.emit(next[0], next[1]);
  }

  private emit(module: Module, name: string): void {
    const decl = module.decls.get(name);
    if (!decl) throw new Error(`${module.name}: no declaration ${name}`);
    const key = `${packagePrefix(module.name)}.${name}`;
    const description = docOf(decl);
    const def: JsonObject = description ? { description } : {};
    if (ts.isTypeAliasDeclaration(decl)) {
      if (decl.type.kind !== ts.SyntaxKind.StringKeyword) throw new Error(`unsupported alias ${key}`);
      def.type = 'string';
      if (name === 'Time' || name === 'MicroTime') def.format = 'date-time';
    } else {
      def.type = 'object';
      const properties: JsonObject = {};
      const required: string[] = [];
      for (const m of decl.members) {
        if (!ts.isPropertySignature(m) || !m.type || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue;
        const field = m.name.text;
        const schema = this.schemaOf(module, m.type, name, field);
        const doc = docOf(m);
        properties[field] = doc ? { description: doc, ...schema } : schema;
        if (!m.questionToken) required.push(field);
      }
      if (Object.keys(properties).length > 0) def.properties = properties;
      if (required.length > 0) def.required = required;
      const gvk = literalGvk(decl);
      if (gvk) def['x-kubernetes-group-version-kind'] = [{ ...gvk }];
    }
    this.defs.set(key, def);
  }

  private schemaOf(module: Module, node: ts.TypeNode, owner: string, field: string): JsonObject {
    if (ts.isUnionTypeNode(node)) {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.join() === [ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword].sort().join()) {
        if (!this.defs.has(intOrString)) {
          this.defs.set(intOrString, { description: intOrStringDescription, format: 'int-or-string', type: 'string' });
        }
        return { $ref: `#/definitions/${intOrString}` };
      }
      throw new Error(`${module.name}.${owner}.${field}: unsupported union`);
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { type: 'string' };
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.schemaOf(module, node.elementType, owner, field) };
    if (ts.isTypeLiteralNode(node)) {
      const sig = node.members.find(ts.isIndexSignatureDeclaration);
      if (!sig) throw new Error(`${module.name}.${owner}.${field}: unsupported type literal`);
      return { type: 'object', additionalProperties: this.schemaOf(module, sig.type, owner, field) };
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const ref = node.typeName.text;
      const arg = node.typeArguments?.[0];
      if (ref === 'Array' && arg) return { type: 'array', items: this.schemaOf(module, arg, owner, field) };
      const from = module.decls.has(ref) ? module : this.modules.get(module.imports.get(ref) ?? '');
      if (!from) throw new Error(`${module.name}.${owner}.${field}: cannot resolve ${ref}`);
      return { $ref: `#/definitions/${this.ref(from, ref)}` };
    }
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: {
        const format = formatOf(this.formats, module.name, owner, field);
        return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
      }
      case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword: {
        const format = formatOf(this.formats, module.name, owner, field);
        if (format === 'double') return { type: 'number', format: 'double' };
        if (format === 'int64') return { type: 'integer', format: 'int64' };
        if (format !== 'int32') this.warnings.push(`${module.name}.${owner}.${field}: no number format, assuming int32`);
        return { type: 'integer', format: 'int32' };
      }
    }
    throw new Error(`${module.name}.${owner}.${field}: unsupported type ${ts.SyntaxKind[node.kind]}`);
  }
}

/** A kind's GVK from its `apiVersion?: "apps/v1"` and `kind?: "Deployment"` literals. */
function literalGvk(decl: ts.InterfaceDeclaration): Gvk | undefined {
  const lit = (field: string): string | undefined => {
    const m = decl.members.find((x) => ts.isPropertySignature(x) && ts.isIdentifier(x.name) && x.name.text === field);
    const t = m && ts.isPropertySignature(m) ? m.type : undefined;
    return t && ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined;
  };
  const apiVersion = lit('apiVersion');
  const kind = lit('kind');
  if (!apiVersion || !kind) return undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion];
  return { group, kind, version };
}

/** Index of every kind declared with literals: "apps/v1/Deployment" → [module, name]. */
function kindIndex(modules: Map<string, Module>): Map<string, [Module, string]> {
  const out = new Map<string, [Module, string]>();
  for (const mod of modules.values()) {
    if (mod.name === 'meta/v1') continue;
    for (const [name, decl] of mod.decls) {
      const gvk = ts.isInterfaceDeclaration(decl) ? literalGvk(decl) : undefined;
      if (gvk) out.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, [mod, name]);
    }
  }
  return out;
}

/** Group/versions we serve or will serve soon: DeleteOptions and WatchEvent list one GVK each. */
function servedGroupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  const add = (group: string, version: string): void => { seen.set(`${group}/${version}`, { group, version }); };
  for (const e of resourceTable) {
    add(e.group, e.version);
    for (const s of e.subresources) if (s.group !== undefined) add(s.group, s.version ?? e.version);
  }
  for (const g of ['rbac.authorization.k8s.io', 'authorization.k8s.io', 'authentication.k8s.io', 'autoscaling']) add(g, 'v1');
  return [...seen.values()].sort((a, b) => `${a.group}/${a.version}`.localeCompare(`${b.group}/${b.version}`));
}

function applyOverlay(defs: Map<string, JsonObject>): void {
  const merge = (target: JsonObject, ext: OverlayExtensions, where: string): void => {
    for (const [k, v] of Object.entries(ext)) {
      if (v === undefined) continue;
      target[k] = JSON.parse(JSON.stringify(v)) as Json;
    }
    if (Object.keys(ext).length === 0) throw new Error(`overlay: empty entry at ${where}`);
  };
  for (const [defName, props] of Object.entries(propertyExtensions)) {
    const def = defs.get(defName);
    if (!def) throw new Error(`overlay: no definition ${defName}`);
    const properties = def.properties as JsonObject | undefined;
    for (const [prop, ext] of Object.entries(props)) {
      const target = properties?.[prop] as JsonObject | undefined;
      if (!target) throw new Error(`overlay: no property ${defName}.${prop}`);
      merge(target, ext, `${defName}.${prop}`);
    }
  }
  for (const [defName, ext] of Object.entries(definitionExtensions)) {
    const def = defs.get(defName);
    if (!def) throw new Error(`overlay: no definition ${defName}`);
    merge(def, ext, defName);
  }
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k] as Json)]));
  }
  return v;
}

const descriptorExt = createRequire(import.meta.url)('protobufjs/ext/descriptor') as typeof import('protobufjs/ext/descriptor.js');

function kubectlBinary(): string {
  if (process.env.KUBECTL_BINARY) return process.env.KUBECTL_BINARY;
  const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  return join(dirname(realpathSync(onPath)), 'kubectl.1.33');
}

/**
 * Cuts gnostic's openapiv2/OpenAPIv2.proto descriptor out of a kubectl binary. The serialised
 * FileDescriptorProto starts with its name and package; protoc writes fields in number order and
 * ends with `syntax` (12), which tells us where it stops.
 */
function gnosticSchema(): Json {
  const bin = readFileSync(kubectlBinary());
  const start = bin.indexOf(Buffer.from('\n\x19openapiv2/OpenAPIv2.proto\x12\nopenapi.v2', 'latin1'));
  if (start < 0) throw new Error('kubectl binary holds no openapiv2/OpenAPIv2.proto descriptor');
  let pos = start;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bin[pos++] ?? 0;
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
    }
  };
  for (let last = 0; ;) {
    const at = pos;
    const tag = varint();
    const fieldNo = Math.floor(tag / 8);
    if ((tag & 7) !== 2 || fieldNo < last || fieldNo > 12) { pos = at; break; }
    last = fieldNo;
    const length = varint();
    pos += length;
    if (fieldNo === 12) break;
  }
  const file = descriptorExt.FileDescriptorProto.decode(bin.subarray(start, pos));
  // google.protobuf.Any is imported but not embedded next to it; declare its two fields.
  const any = { name: 'google/protobuf/any.proto', package: 'google.protobuf', syntax: 'proto3',
    messageType: [{ name: 'Any', field: [{ name: 'type_url', number: 1, type: 9, label: 1 }, { name: 'value', number: 2, type: 12, label: 1 }] }] };
  const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: object): protobuf.Root }).fromDescriptor;
  const protoRoot = fromDescriptor({ file: [any, file] });
  protoRoot.resolveAll();
  return protoRoot.toJSON() as unknown as Json;
}

/** Writes `text` to `file`, or with --verify only checks that it is up to date. */
function output(file: string, text: string): void {
  if (process.argv.includes('--verify')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${file} is stale: run \`npx tsx hack/update-openapi.ts\`\n`);
      process.exitCode = 1;
    }
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}: ${text.length} bytes\n`);
}

async function main(): Promise<void> {
  const modules = loadModules();
  const gen = new Generator(modules, await loadFormats());
  const kinds = kindIndex(modules);
  const need = (group: string, version: string, kind: string): void => {
    const hit = kinds.get(`${group}/${version}/${kind}`);
    if (!hit) throw new Error(`kubernetes-types has no kind ${group}/${version}/${kind}`);
    gen.ref(hit[0], hit[1]);
  };
  for (const e of resourceTable) {
    need(e.group, e.version, e.kind);
    if (e.verbs.includes('list')) need(e.group, e.version, `${e.kind}List`);
    for (const s of e.subresources) if (s.kind) need(s.group ?? e.group, s.version ?? e.version, s.kind);
  }
  need('autoscaling', 'v1', 'Scale');
  need('authentication.k8s.io', 'v1', 'TokenRequest');
  need('', 'v1', 'Binding');
  for (const [key, [mod, name]] of kinds) {
    if (/^(rbac\.authorization|authorization|authentication)\.k8s\.io\/v1\//.test(key)) gen.ref(mod, name);
  }
  const meta = modules.get('meta/v1');
  if (!meta) throw new Error('kubernetes-types: no meta/v1');
  for (const name of ['Status', 'DeleteOptions', 'WatchEvent', 'Patch', 'APIResourceList', 'APIGroupList', 'APIGroup', 'APIVersions']) {
    gen.ref(meta, name);
  }
  gen.drain();

  const perGv = (kind: string): Json => servedGroupVersions().map((gv) => ({ group: gv.group, kind, version: gv.version }));
  const metaPrefix = packagePrefix('meta/v1');
  for (const kind of ['DeleteOptions', 'WatchEvent']) {
    const def = gen.defs.get(`${metaPrefix}.${kind}`);
    if (def) def['x-kubernetes-group-version-kind'] = perGv(kind);
  }
  applyOverlay(gen.defs);

  const definitions = Object.fromEntries(gen.defs);
  const text = `${JSON.stringify(sortKeys({ definitions } as unknown as Json), null, 2)}\n`;
  for (const w of gen.warnings) process.stderr.write(`warning: ${w}\n`);
  output(outFile, text);
  output(protoOutFile, `${JSON.stringify(sortKeys(gnosticSchema()), null, 2)}\n`);
}

await main();
