/**
 * Conformance: the legacy discovery documents (upstream test/e2e/apimachinery/discovery.go),
 * fetched as raw GETs the way client-go's discovery RESTClient().Get().AbsPath(...) does.
 *
 * Not yet here: "Discovery, confirm the groupVersion and a resource from each apiGroup". It asks
 * for a resource in 19 group/versions; authentication, authorization, certificates, node and
 * scheduling are served now, admissionregistration, apiextensions, apiregistration, autoscaling
 * v1/v2, networking, policy and storage not yet; it is written when the last of them lands.
 */
import { describe, expect, it } from 'vitest';
import type { KubeConfig, V1APIGroup, V1APIGroupList, V1APIResourceList } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';
import { rawRequest } from '../raw-request.ts';

/** GETs `path` (kept as given, trailing slash included) with the kubeconfig's credentials and decodes the JSON body. */
async function getJSON<T>(kc: KubeConfig, path: string): Promise<T> {
  const res = await rawRequest(kc, 'GET', path);
  if (res.status !== 200) throw new Error(`Fail to access: ${path}: ${res.status} ${res.body}`);
  try {
    return JSON.parse(res.body) as T;
  } catch (err) {
    throw new Error(`Fail to decode ${path}: ${String(err)}: ${res.body}`);
  }
}

describe('Discovery', () => {
  const f = newFramework('discovery');

  it('Discovery, confirm the PreferredVersion for each api group', async () => {
    // get list of APIGroup endpoints
    const list = await getJSON<V1APIGroupList>(f.kc, '/apis/');
    expect(list.groups, 'Missing APIGroups').not.toHaveLength(0);

    for (const group of list.groups) {
      // ignore known example dynamic API groups that are added/removed during the e2e test run
      if (group.name.endsWith('.example.com')) continue;

      // locate APIGroup endpoint
      const apiPath = `/apis/${group.name}/`;
      const checkGroup = await getJSON<V1APIGroup>(f.kc, apiPath);
      expect(checkGroup.versions, `No version found for ${group.name}`).not.toHaveLength(0);

      // confirm that the PreferredVersion is a valid version
      const preferred = checkGroup.preferredVersion?.groupVersion;
      expect(checkGroup.versions.map((v) => v.groupVersion),
        `Failed to find a valid version for PreferredVersion ${preferred} in versions of ${group.name}`).toContain(preferred);
    }
  });
});
