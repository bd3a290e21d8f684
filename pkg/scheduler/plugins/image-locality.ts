/**
 * ImageLocality (Score): nodes that already hold the pod's images score higher, scaled by how many
 * nodes have each image, after kubernetes pkg/scheduler/framework/plugins/imagelocality/image_locality.go.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { maxNodeScore } from '../framework/interface.ts';
import { normalizedImageName, type NodeInfo } from '../framework/node-info.ts';

export const name = 'ImageLocality';
const mb = 1024 * 1024;
/** minThreshold and maxContainerThreshold of upstream. */
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;
const stateKey = `PreScore${name}`;

export function newImageLocality(): AnyPlugin {
  return {
    name,
    preScore(state, pod, _nodes, handle) {
      const images = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
      // How many of all nodes hold each image (the spread factor).
      const all = handle.snapshot().nodeInfos;
      const holders = new Map<string, number>();
      for (const img of images) {
        if (holders.has(img)) continue;
        let n = 0;
        for (const ni of all) if (ni.images.has(img)) n++;
        holders.set(img, n);
      }
      state.write(stateKey, { images, holders, total: all.length });
      return null;
    },
    score(state, _pod, nodeInfo: NodeInfo) {
      const s = state.read<{ images: string[]; holders: Map<string, number>; total: number }>(stateKey);
      if (!s || s.images.length === 0) return 0;
      let sum = 0;
      for (const img of s.images) {
        const size = nodeInfo.images.get(img);
        if (size !== undefined) sum += Math.trunc(size * ((s.holders.get(img) ?? 0) / s.total));
      }
      const maxThreshold = maxContainerThreshold * s.images.length;
      if (sum < minThreshold) sum = minThreshold;
      else if (sum > maxThreshold) sum = maxThreshold;
      return Math.trunc((maxNodeScore * (sum - minThreshold)) / (maxThreshold - minThreshold));
    },
  };
}
