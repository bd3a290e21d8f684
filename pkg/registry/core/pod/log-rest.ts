/**
 * `GET pods/{name}/log`: upstream's LogREST (pkg/registry/core/pod/rest/log.go) with LogLocation
 * (pkg/registry/core/pod/strategy.go). The options are decoded and validated, the pod read, the
 * container chosen (the only one, or the one named, with the real BadRequest messages), then the
 * node's kubelet is asked for `/containerLogs/{ns}/{pod}/{container}` and its body handed back as a
 * text/plain stream (genericrest.LocationStreamer). A pod on no node yet has an empty log. A
 * kubelet that answers with an error becomes the Status GenericHttpResponseChecker makes of it.
 */
import { Readable } from 'node:stream';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.ts';
import * as apierrors from '../../../apierrors/index.ts';
import type { RestReadContext, RestStreamer, ResourceStream } from '../../rest.ts';
import { kubeletEndpoint, readBodyText, type KubeletClient } from './kubelet-client.ts';
import { kubeletLogQuery, podLogOptionsOf } from './log-options.ts';

export interface PodLogDeps {
  getPod(namespace: string, name: string): Promise<KubeObject>;
  getNode(name: string): Promise<KubeObject>;
  kubelet: KubeletClient;
}

/** Every container name in VisitContainers order: init, regular, ephemeral. */
function containerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
}

/** validateContainer: the container the request means, or the BadRequest LogLocation answers. */
export function chooseContainer(pod: Pod, requested: string): string {
  const name = pod.metadata?.name ?? '';
  if (requested) {
    if (!containerNames(pod).includes(requested)) throw apierrors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw apierrors.badRequest(`a container name must be specified for pod ${name}`);
  throw apierrors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
}

/** GenericHttpResponseChecker.Check: a non-2xx kubelet answer as a Status. */
export function kubeletResponseError(status: number, body: string, podName: string): apierrors.StatusError {
  if (status === 500) return apierrors.internalError(body);
  if (status === 400) return apierrors.badRequest(body);
  const generic: Record<number, [apierrors.StatusReason, string]> = {
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', body],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  let [reason, message] = generic[status] ?? ['', `the server responded with the status code ${status} but did not return more information`];
  if (!generic[status] && status >= 500) {
    reason = 'InternalError';
    message = `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`;
  }
  // NewGenericServerResponse with an empty verb: "… ( pods/log <name>)".
  return new apierrors.StatusError(status, reason, `${message} ( pods/log ${podName})`, { name: podName, kind: 'pods/log' });
}

export function podLogRest(deps: PodLogDeps): RestStreamer {
  return {
    async stream(ctx: RestReadContext): Promise<ResourceStream> {
      const opts = podLogOptionsOf(ctx.query, ctx.name);
      const pod = await deps.getPod(ctx.namespace, ctx.name) as Pod;
      const container = chooseContainer(pod, opts.container);
      const nodeName = pod.spec?.nodeName ?? '';
      if (!nodeName) return { contentType: 'text/plain', body: Readable.from([]) };
      const endpoint = kubeletEndpoint(await deps.getNode(nodeName), deps.kubelet.cfg);
      const path = `/containerLogs/${[ctx.namespace, ctx.name, container].map(encodeURIComponent).join('/')}${kubeletLogQuery(opts)}`;
      const res = await deps.kubelet.get(endpoint, path, { signal: ctx.signal, insecureSkipTLSVerify: opts.insecureSkipTLSVerifyBackend });
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 206) throw kubeletResponseError(status, await readBodyText(res), ctx.name);
      return { contentType: 'text/plain', body: res };
    },
  };
}
