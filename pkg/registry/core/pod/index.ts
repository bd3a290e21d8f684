/** Pod strategy plus the pod-template defaulting and validation every workload kind reuses. */
export { podStrategy } from './strategy.ts';
export { applyContainerDefaults, applyPodDefaults, canonicalizePodTemplate, applyPodSpecDefaults, applyPodTemplateDefaults, imageTag } from './defaults.ts';
export { validatePodSpec, validatePodTemplateSpec, validateTolerations, type PodSpecOptions } from './spec-validation.ts';
export { computeQOS, type QOSClass } from './qos.ts';
