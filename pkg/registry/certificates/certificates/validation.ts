/**
 * CertificateSigningRequest validation, after pkg/apis/certificates/validation: the request must be
 * a signed PKCS#10 PEM block, usages known and unique, signerName qualified, conditions well formed,
 * and updates may only touch what their path (main resource, /status, /approval) allows. Problems
 * already present in the stored object are tolerated, as upstream does for old data.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import { field } from '../../../apierrors/index.ts';
import { isDNS1123Subdomain } from '../../../api/selectors/index.ts';
import {
  duplicate, goQuote, invalid, invalidRendered, isDNS1123Label, notSupported, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';
import { decodePemBlocks } from '../pem.ts';
import { checkSignature, parseCertificateRequestPem } from '../request.ts';

export const legacyUnknownSignerName = 'kubernetes.io/legacy-unknown';

/** allValidUsages, sorted as sets.String.List() prints them. */
export const validUsages: readonly string[] = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment',
  'decipher only', 'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel',
  'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime',
  'server auth', 'signing', 'timestamping',
];
const validUsageSet = new Set(validUsages);
/** Condition types that may only be True. */
const trueOnlyTypes = new Set(['Approved', 'Denied', 'Failed']);

export interface ValidationOptions {
  allowSettingApprovalConditions: boolean;
  allowSettingCertificate: boolean;
  allowBothApprovedAndDenied: boolean;
  allowLegacySignerName: boolean;
  allowDuplicateConditionTypes: boolean;
  allowEmptyConditionType: boolean;
  allowArbitraryCertificate: boolean;
  allowUnknownUsages: boolean;
  allowDuplicateUsages: boolean;
}

type Csr = CertificateSigningRequest;

/** The bytes of a `format: byte` field: JSON carries base64. */
export function bytesOf(v: string | undefined): Buffer | undefined {
  return v === undefined ? undefined : Buffer.from(v, 'base64');
}

/** Go's `%#v` of a []byte, which is how field.Invalid prints spec.request. */
export function goBytes(b: Buffer | undefined): string {
  if (b === undefined) return '[]byte(nil)';
  return `[]byte{${[...b].map((x) => `0x${x.toString(16)}`).join(', ')}}`;
}

function conditions(csr: Csr): CertificateSigningRequestCondition[] {
  return csr.status?.conditions ?? [];
}

/** validateCertificate: status.certificate, when set, holds only CERTIFICATE blocks that parse. */
export function certificateError(pem: Buffer | undefined): string | undefined {
  if (!pem || pem.length === 0) return undefined;
  const blocks = decodePemBlocks(pem);
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b.type !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${goQuote(b.type)}`;
    if (Object.keys(b.headers).length > 0) return 'no PEM block headers are permitted';
    try {
      new X509Certificate(b.bytes);
    } catch {
      return 'x509: malformed certificate';
    }
  }
  return undefined;
}

/** apivalidation.ValidateSignerName. */
export function validateSignerName(path: string, signerName: string | undefined): FieldError[] {
  if (!signerName) return [field.required(path)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  const [domain = '', rest = ''] = segments;
  const errs: FieldError[] = [];
  if (domain.length > 253) errs.push(field.tooLong(path, 253));
  const domainLabels = domain.split('.');
  for (const lbl of domainLabels) {
    const msgs = isDNS1123Label(lbl);
    if (msgs.length === 0) continue;
    for (const m of msgs) errs.push(invalid(path, domain, `validating label ${goQuote(lbl)}: ${m}`));
    break;
  }
  if (domainLabels.length < 2) errs.push(invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  for (const lbl of rest.split('.')) {
    const msgs = isDNS1123Subdomain(lbl);
    if (msgs.length === 0) continue;
    for (const m of msgs) errs.push(invalid(path, rest, `validating label ${goQuote(lbl)}: ${m}`));
    break;
  }
  const maxLength = 253 + (253 + 63 + 1) + 1;
  if (signerName.length > maxLength) errs.push(field.tooLong(path, maxLength));
  return errs;
}

function validateConditions(csr: Csr, opts: ValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let hasApproved = false;
  let hasDenied = false;
  conditions(csr).forEach((c, i) => {
    const p = `status.conditions[${i}]`;
    if (!opts.allowEmptyConditionType && !c.type) errs.push(field.required(`${p}.type`));
    const allowed = trueOnlyTypes.has(c.type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!c.status) errs.push(field.required(`${p}.status`));
    else if (!allowed.includes(c.status)) errs.push(notSupported(`${p}.status`, c.status, allowed));
    if (!opts.allowBothApprovedAndDenied) {
      if (c.type === 'Approved') {
        hasApproved = true;
        if (hasDenied) errs.push(invalid(`${p}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (c.type === 'Denied') {
        hasDenied = true;
        if (hasApproved) errs.push(invalid(`${p}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!opts.allowDuplicateConditionTypes) {
      if (seen.has(c.type)) errs.push(duplicate(`${p}.type`, c.type));
      seen.add(c.type);
    }
  });
  return errs;
}

function requestError(csr: Csr): string | undefined {
  try {
    checkSignature(parseCertificateRequestPem(bytesOf(csr.spec?.request) ?? Buffer.alloc(0)));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function validateCsr(csr: Csr, opts: ValidationOptions): FieldError[] {
  const errs = validateObjectMeta(csr.metadata ?? {}, () => []);
  const spec = csr.spec ?? ({} as Csr['spec']);
  const reqErr = requestError(csr);
  if (reqErr !== undefined) errs.push(invalidRendered('spec.request', goBytes(bytesOf(spec.request)), reqErr));
  const usages = spec.usages ?? [];
  if (usages.length === 0) errs.push(field.required('spec.usages'));
  if (!opts.allowUnknownUsages) {
    usages.forEach((u, i) => { if (!validUsageSet.has(u)) errs.push(notSupported(`spec.usages[${i}]`, u, validUsages)); });
  }
  if (!opts.allowDuplicateUsages) {
    const seen = new Set<string>();
    usages.forEach((u, i) => {
      if (seen.has(u)) errs.push(duplicate(`spec.usages[${i}]`, u));
      seen.add(u);
    });
  }
  if (!opts.allowLegacySignerName && spec.signerName === legacyUnknownSignerName) {
    errs.push(invalid('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  } else {
    errs.push(...validateSignerName('spec.signerName', spec.signerName));
  }
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && spec.expirationSeconds < 600) {
    errs.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...validateConditions(csr, opts));
  if (!opts.allowArbitraryCertificate) {
    const certErr = certificateError(bytesOf(csr.status?.certificate));
    if (certErr !== undefined) errs.push(invalid('status.certificate', '<certificate data>', certErr));
  }
  return errs;
}

function hasDuplicateTypes(csr: Csr): boolean {
  const types = conditions(csr).map((c) => c.type);
  return new Set(types).size !== types.length;
}

/** getValidationOptions: what a create (old undefined) or an update of `old` tolerates. */
export function validationOptions(csr: Csr, old: Csr | undefined): ValidationOptions {
  const oldTypes = new Set(old ? conditions(old).map((c) => c.type) : []);
  const oldUsages = old?.spec?.usages ?? [];
  const sameCert = old !== undefined && (csr.status?.certificate ?? '') === (old.status?.certificate ?? '');
  return {
    allowSettingApprovalConditions: false,
    allowSettingCertificate: false,
    allowBothApprovedAndDenied: oldTypes.has('Approved') && oldTypes.has('Denied'),
    allowLegacySignerName: old?.spec?.signerName === legacyUnknownSignerName,
    allowDuplicateConditionTypes: old !== undefined && hasDuplicateTypes(old),
    allowEmptyConditionType: old !== undefined && conditions(old).some((c) => !c.type),
    allowArbitraryCertificate: sameCert || (old !== undefined && certificateError(bytesOf(old.status?.certificate)) !== undefined),
    allowUnknownUsages: oldUsages.some((u) => !validUsageSet.has(u)),
    allowDuplicateUsages: new Set(oldUsages).size !== oldUsages.length,
  };
}

function ofType(csr: Csr, type: string): CertificateSigningRequestCondition[] {
  return conditions(csr).filter((c) => c.type === type);
}

/** A short rendering of what changed, standing in for upstream's cmp.Diff output. */
function conditionDiff(before: CertificateSigningRequestCondition[], after: CertificateSigningRequestCondition[]): string {
  return `- ${JSON.stringify(before)}\n+ ${JSON.stringify(after)}`;
}

export function validateCsrUpdate(csr: Csr, old: Csr, opts: ValidationOptions): FieldError[] {
  const errs = validateCsr(csr, opts);
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (ofType(csr, t).length < ofType(old, t).length) {
      errs.push(field.forbidden('status.conditions', `updates may not remove a condition of type ${goQuote(t)}`));
    }
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const t of ['Approved', 'Denied']) {
      const before = ofType(old, t);
      const after = ofType(csr, t);
      if (after.length > before.length) {
        errs.push(field.forbidden('status.conditions', `updates may not add a condition of type ${goQuote(t)}`));
      } else if (after.length === before.length && JSON.stringify(after) !== JSON.stringify(before)) {
        errs.push(field.forbidden('status.conditions', `updates may not modify a condition of type ${goQuote(t)}\n${conditionDiff(before, after)}`));
      }
    }
  }
  const cert = csr.status?.certificate ?? '';
  const oldCert = old.status?.certificate ?? '';
  if (cert !== oldCert) {
    if (!opts.allowSettingCertificate) {
      errs.push(field.forbidden('status.certificate', 'updates may not set certificate content'));
    } else if (oldCert.length > 0) {
      errs.push(field.forbidden('status.certificate', 'updates may not modify existing certificate content'));
    }
  }
  // Metadata is checked twice (create rules, then update rules); report each problem once, as ToAggregate does.
  const seen = new Set<string>();
  return [...errs, ...validateObjectMetaUpdate(csr.metadata ?? {}, old.metadata ?? {})].filter((e) => {
    const key = `${e.field}\u0000${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
