/**
 * POST serviceaccounts/<name>/token (pkg/registry/core/serviceaccount/storage/token.go): a signed
 * token for the service account, optionally bound to a pod, secret or node of its namespace, as
 * `kubectl create token` asks for it. Nothing is stored.
 */
import type { KubeObject } from '../../../api/index.ts';
import * as apierrors from '../../../apierrors/index.ts';
import type { ObjectGetter, ObjectRef, TokenIssuer } from '../../../auth/serviceaccount/index.ts';
import type { RestCreater } from '../../rest.ts';

const group = 'authentication.k8s.io';
const kind = 'TokenRequest';
/** SetDefaults_TokenRequestSpec. */
const defaultExpirationSeconds = 3600;
const minExpirationSeconds = 10 * 60;
const maxExpirationSeconds = 2 ** 32;

export interface TokenRequestDeps {
  issuer: TokenIssuer;
  /** Audiences of a request that names none (--api-audiences). */
  apiAudiences: readonly string[];
  /** --service-account-max-token-expiration in seconds; 0: no cap. */
  maxExpirationSeconds: number;
  getter: ObjectGetter;
  now?: () => Date;
}

interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: BoundObjectRef | null;
}

/** schema.FromAPIVersionAndKind(...).String(): "group/version, Kind=kind"; a bad apiVersion keeps the kind only. */
function gvkString(apiVersion: string, kindName: string): { group: string; text: string } {
  const parts = apiVersion.split('/');
  if (parts.length > 2) return { group: '', text: `/, Kind=${kindName}` };
  const [g, v] = parts.length === 2 ? parts as [string, string] : ['', parts[0] ?? ''];
  return { group: g, text: `${g}/${v}, Kind=${kindName}` };
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function tokenRequestRest(deps: TokenRequestDeps): RestCreater {
  const now = deps.now ?? (() => new Date());
  return {
    async create(ctx, obj) {
      const { name, namespace } = ctx;
      const meta = obj.metadata ?? {};
      if (meta.name && meta.name !== name) {
        throw apierrors.invalid(group, kind, name, [apierrors.field.invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
      }
      if (meta.namespace && meta.namespace !== namespace) {
        throw apierrors.invalid(group, kind, name, [apierrors.field.invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
      }
      const sa = await deps.getter.get('serviceaccounts', namespace, name);
      const spec = (obj.spec ?? {}) as TokenRequestSpec;
      const audiences = spec.audiences && spec.audiences.length > 0 ? [...spec.audiences] : [...deps.apiAudiences];
      let expirationSeconds = spec.expirationSeconds ?? defaultExpirationSeconds;
      const issuedAt = now();
      const request: KubeObject = {
        apiVersion: `${group}/v1`, kind,
        metadata: { ...meta, name: meta.name || name, namespace: meta.namespace || namespace, creationTimestamp: rfc3339(issuedAt) },
        spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
      };

      const errors: apierrors.FieldError[] = [];
      if (expirationSeconds < minExpirationSeconds) {
        errors.push(apierrors.field.invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
      }
      if (expirationSeconds > maxExpirationSeconds) {
        errors.push(apierrors.field.invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
      }
      if (errors.length > 0) throw apierrors.invalid(group, kind, '', errors);
      // Admission sees a copy: the plugins may look, but the request is what was validated above.
      const admitted = structuredClone(request);
      await ctx.admission.mutate('CREATE', admitted, undefined);
      await ctx.admission.validate('CREATE', admitted, undefined);

      let pod: ObjectRef | undefined;
      let secret: ObjectRef | undefined;
      let node: ObjectRef | undefined;
      const ref = spec.boundObjectRef;
      if (ref) {
        const refName = ref.name ?? '';
        const gvk = gvkString(ref.apiVersion ?? '', ref.kind ?? '');
        let uid: string;
        if (gvk.group === '' && ref.kind === 'Pod') {
          const p = await deps.getter.get('pods', namespace, refName);
          const podSpec = (p.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
          if (name !== (podSpec.serviceAccountName ?? '')) {
            throw apierrors.badRequest(`cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with different serviceaccount name.`);
          }
          uid = p.metadata.uid ?? '';
          pod = { name: p.metadata.name ?? refName, uid };
          if (podSpec.nodeName) {
            // A pod's node that is gone is still named, without a uid (claims then carry the name only).
            let nodeUid = '';
            try {
              nodeUid = (await deps.getter.get('nodes', '', podSpec.nodeName)).metadata.uid ?? '';
            } catch (err) {
              if (!(apierrors.isStatusError(err) && err.code === 404)) throw apierrors.internalError((err as Error).message);
            }
            node = { name: podSpec.nodeName, uid: nodeUid };
          }
        } else if (gvk.group === '' && ref.kind === 'Node') {
          const n = await deps.getter.get('nodes', '', refName);
          uid = n.metadata.uid ?? '';
          node = { name: n.metadata.name ?? refName, uid };
        } else if (gvk.group === '' && ref.kind === 'Secret') {
          const s = await deps.getter.get('secrets', namespace, refName);
          uid = s.metadata.uid ?? '';
          secret = { name: s.metadata.name ?? refName, uid };
        } else {
          throw apierrors.badRequest(`cannot bind token to object of type ${gvk.text}`);
        }
        if (ref.uid && ref.uid !== uid) {
          throw apierrors.conflict(gvk.group, ref.kind ?? '', refName,
            `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
        }
      }

      if (deps.maxExpirationSeconds > 0 && expirationSeconds > deps.maxExpirationSeconds) {
        // Upstream also adds a warning ("requested expiration of N seconds shortened to M seconds").
        expirationSeconds = deps.maxExpirationSeconds;
        (request.spec as TokenRequestSpec).expirationSeconds = expirationSeconds;
      }
      const { token } = deps.issuer.issue({
        serviceAccount: { namespace, name, uid: sa.metadata.uid ?? '' },
        pod, secret, node, expirationSeconds, audiences, now: issuedAt,
      });
      return {
        ...request,
        status: { token, expirationTimestamp: rfc3339(new Date(issuedAt.getTime() + expirationSeconds * 1000)) },
      };
    },
  };
}
