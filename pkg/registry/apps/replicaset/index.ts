/** ReplicaSet strategy and the selector/template checks the other apps kinds reuse. */
export { replicaSetStrategy } from './strategy.ts';
export {
  validateRequiredSelector, validateSelectorMatchesTemplate, validateWorkloadTemplate, validateWorkloadUpdate, type TemplateRules,
} from './template.ts';
