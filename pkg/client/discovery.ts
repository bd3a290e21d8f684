/** Resource discovery through the legacy documents: every group/version and its resources. */
import type { RestClient } from './rest-client.ts';

export interface DiscoveredResource {
  groupVersion: string;
  name: string;
  namespaced: boolean;
  verbs: string[];
}

interface ResourceList { groupVersion: string; resources: { name: string; namespaced: boolean; verbs: string[] }[] }
interface GroupList { groups: { preferredVersion?: { groupVersion: string } }[] }

/** Top-level resources (no subresources) of every served preferred group version. */
export async function discoverResources(client: RestClient): Promise<DiscoveredResource[]> {
  const groups = await client.request<GroupList>('GET', '/apis');
  const paths = ['/api/v1', ...groups.groups.flatMap((g) => (g.preferredVersion ? [`/apis/${g.preferredVersion.groupVersion}`] : []))];
  const lists = await Promise.all(paths.map((p) => client.request<ResourceList>('GET', p)));
  return lists.flatMap((l) => l.resources.filter((r) => !r.name.includes('/'))
    .map((r) => ({ groupVersion: l.groupVersion, name: r.name, namespaced: r.namespaced, verbs: r.verbs })));
}

export function resourcePath(r: Pick<DiscoveredResource, 'groupVersion' | 'name'>, namespace?: string): string {
  const base = r.groupVersion.includes('/') ? `/apis/${r.groupVersion}` : `/api/${r.groupVersion}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.name}` : `${base}/${r.name}`;
}
