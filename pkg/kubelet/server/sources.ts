/**
 * What the fake-kubelet's HTTPS endpoint (the real kubelet's port 10250 API) reads from the
 * simulated nodes: container logs and resource usage. The pod workers (pkg/kubelet) implement
 * these; the server (pkg/kubelet/server) only translates HTTP. One process serves every
 * simulated node on one port, as kwok does: every Node advertises the same address and port.
 */

/** One line a container wrote, without its trailing newline. */
export interface LogLine {
  time: Date;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** The output of one container instance (the current one, or the previous after a restart). */
export interface ContainerLog {
  /** Every line written so far, oldest first. */
  lines(): readonly LogLine[];
  /** True once the instance has terminated: following ends after its last line. */
  terminated(): boolean;
  /**
   * Calls `onLine` for each line written from now on and `onEnd` once the instance terminates
   * (immediately when it already has). Returns a function that stops the subscription.
   */
  follow(onLine: (line: LogLine) => void, onEnd: () => void): () => void;
}

export type LogLookup =
  | { found: true; log: ContainerLog }
  /** The pod is not on this kubelet, or has no such container, or (previous) no earlier instance; `message` is what the kubelet answers. */
  | { found: false; message: string };

export interface PodLogSource {
  containerLog(namespace: string, pod: string, container: string, previous: boolean): LogLookup;
}

/** Usage of one container, as the kubelet's Summary API reports it. */
export interface ContainerUsage {
  name: string;
  /** CPU in nanocores (1 core = 1e9). */
  usageNanoCores: number;
  workingSetBytes: number;
}

export interface PodUsage {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  nodeName: string;
  usageNanoCores: number;
  workingSetBytes: number;
  pods: PodUsage[];
}

export interface UsageSource {
  /** Usage of one simulated node and its running pods at `now`; undefined for a node this process does not run. */
  nodeUsage(nodeName: string, now: Date): NodeUsage | undefined;
}
