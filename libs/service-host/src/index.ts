export { bootstrapService, serviceRootModule, serviceDatabaseName } from './bootstrap-service';
export type { ServiceDefinition } from './bootstrap-service';
