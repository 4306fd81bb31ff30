/**
 * Definition hashing: what a memorious function's version directory is keyed by.
 */
export {
  analyzeDefinition,
  valueDefinitionHash,
  whileKeying,
  type DefinitionDescription,
  type DefinitionOptions,
  type Dependency,
} from './analyze-definition.js';
export { captureSite, nameAtDefinitionSite, type DefinitionSite } from './site.js';
export { isMemorious, registerSeeded, registerWrapper } from './wrapped-functions.js';
export { closesOverFunctionScope } from './runtime-scopes.js';
export { mayBeBound } from './closure-values.js';
export {
  configurationState,
  withConfiguration,
  type ConfigurationRead,
  type ConfiguredPath,
  type ConfiguredValue,
  type ParameterSlot,
} from './configuration.js';
