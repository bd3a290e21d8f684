/**
 * The Stage document: behaviour of simulated pods as data, after kwok's Stage API
 * (sigs.k8s.io/kwok pkg/apis/v1alpha1/stage_types.go). A stage selects objects by their fields,
 * waits a delay (with jitter, or read from an annotation), then applies `next`. The kubelet tries
 * a user's stages first, then the built-in ones (default-stages.yaml); the first stage that
 * matches and has not fired yet for the pod's current container instances is the one that plays
 * (one stage waits at a time, so a user stage with a long delay holds back the built-in ones
 * behind it unless its selector leaves room for them).
 * What a container's program does (sleep, exit, echo, probes) stays in runtime/: stages decide
 * the lifecycle timing and outcomes around it.
 */

export const stageApiVersion = 'fake-kubelet.kube-ts.io/v1alpha1';

/** Kinds a stage can apply to. Node stages are refused until the node agent plays them. */
export const stageKinds = ['Pod'] as const;
export type StageKind = (typeof stageKinds)[number];

export const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof selectorOperators)[number];

/** One requirement on a field of the object, named by a field path (field-path.ts). */
export interface SelectorRequirement {
  /** `.status.phase`, `.metadata.annotations["a/b"]`, `.status.conditions[type=Ready].status`, `.status.containerStatuses[0].state.running`. */
  key: string;
  operator: SelectorOperator;
  /** Required (non-empty) for In and NotIn; refused for Exists and DoesNotExist. */
  values?: string[];
}

/** All parts are ANDed; an absent selector matches every object of the kind. */
export interface StageSelector {
  matchLabels?: Record<string, string>;
  matchAnnotations?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

export interface StageDelay {
  /** Wait this long once the stage matches (default 0: play at once, in the same status write). */
  durationMilliseconds?: number;
  /** When above the duration: the delay is drawn uniformly from [duration, jitter] (kwok's rule). */
  jitterDurationMilliseconds?: number;
  /** An annotation holding a Go duration (`5s`, `1m30s`) that replaces durationMilliseconds when valid. */
  durationFrom?: { annotation: string };
}

export interface StageEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** How one container instance ends (its program is cut short). */
export interface ContainerExit {
  /** The container's name; default the pod's first container. */
  container?: string;
  /** Exit code (0-255); default 1. */
  code?: number;
  /** An annotation whose value (an integer 0-255) replaces `code` when valid. */
  codeFromAnnotation?: string;
  /** The terminated state's reason; default Completed for 0, Error otherwise. */
  reason?: string;
  message?: string;
}

/** What happens when the stage plays; at least one field. Applied in the order listed here. */
export interface StageNext {
  /** Emitted on the object. */
  event?: StageEvent;
  /** Starts the pod's containers (init containers first); until then the pod is Pending/ContainerCreating. */
  startContainers?: boolean;
  /** Opens (true) or closes (false) the readiness gate; containers are ready when it is open and their probes pass. */
  containersReady?: boolean;
  containerExit?: ContainerExit;
  /** Stops the pod for good in this phase (running containers are killed), with status.reason/message. */
  podPhase?: 'Failed' | 'Succeeded';
  reason?: string;
  message?: string;
  /** Stops the pod, writes its final status and deletes it (gracePeriodSeconds 0, UID precondition). */
  delete?: boolean;
}

export interface Stage {
  apiVersion: typeof stageApiVersion;
  kind: 'Stage';
  metadata: { name: string };
  spec: {
    resourceRef: { kind: StageKind };
    selector?: StageSelector;
    delay?: StageDelay;
    next: StageNext;
  };
}
