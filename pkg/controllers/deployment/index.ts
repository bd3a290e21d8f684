/** The deployment controller (kube-controller-manager's `deployment-controller`). Public surface of pkg/controllers/deployment. */
export { newDeploymentController, deploymentControllerName } from './deployment-controller.ts';
export type { DeploymentControllerDeps } from './deployment-controller.ts';
export { computeHash } from './pod-template-hash.ts';
export { deploymentsRef } from './types.ts';
