import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '@testpulse/cache';
import { ServiceName } from '@testpulse/contracts';
import { ServiceEnv, loadEnvOrExit } from '@testpulse/config';
import {
  MessageContextInterceptor,
  MessagingModule,
  RpcErrorFilter,
  messageValidationPipe,
  redisTransport,
} from '@testpulse/messaging';
import { RedisHealthIndicator, loggingModule } from '@testpulse/observability';
import mongoose from 'mongoose';
import { Logger } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { healthMessageHandler } from './health-message.handler';

export interface ServiceDefinition<E extends ServiceEnv> {
  name: ServiceName;
  /** The service's env schema (extends ServiceEnv); validated before anything starts. */
  env: new () => E;
  /** The service's feature modules. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** Deadline of calls this service makes to others. */
  callTimeoutMs?: number;
  /** Whether the service reads or invalidates the two-layer cache (CacheModule from @testpulse/cache). */
  cache?: boolean;
}

/** The database a service owns: one per service, never shared. */
export function serviceDatabaseName(prefix: string, service: ServiceName): string {
  return `${prefix}_${service.replace(/-/g, '_')}`;
}

@Module({})
class EnvModule {
  static register<E extends ServiceEnv>(schema: new () => E, env: E): DynamicModule {
    return {
      module: EnvModule,
      global: true,
      providers: [
        { provide: schema, useValue: env },
        { provide: ServiceEnv, useValue: env },
      ],
      exports: [schema, ServiceEnv],
    };
  }
}

@Module({})
class ServiceRootModule {}

/**
 * Mongoose records `new Error().stack` on every query (for its "query was already executed"
 * message); with source maps enabled that stack is mapped each time: about 3 % of
 * data-aggregation's CPU in a profile of `bench:realtime`. Not worth it for that message.
 */
mongoose.set('skipOriginalStackTraces', true);

export function serviceRootModule<E extends ServiceEnv>(
  definition: ServiceDefinition<E>,
  env: E,
): DynamicModule {
  return {
    module: ServiceRootModule,
    imports: [
      EnvModule.register(definition.env, env),
      loggingModule({ service: definition.name, level: env.LOG_LEVEL, quietPaths: ['/health'] }),
      MongooseModule.forRoot(env.MONGO_URL, {
        dbName: serviceDatabaseName(env.MONGO_DB_PREFIX, definition.name),
        serverSelectionTimeoutMS: 5000,
        retryAttempts: 20,
        retryDelay: 1000,
      }),
      MessagingModule.forRoot({ redisUrl: env.REDIS_URL, timeoutMs: definition.callTimeoutMs ?? 5000 }),
      TerminusModule,
      ...(definition.cache ? [CacheModule.forRoot(env.cacheOptions(definition.name))] : []),
      ...definition.imports,
    ],
    controllers: [HealthController, healthMessageHandler(definition.name)],
    providers: [RedisHealthIndicator],
  };
}

/**
 * Starts one service as its own process: validated env, JSON logs, MongoDB, the Redis transport
 * (with validation, correlation context and error mapping on every handler), an HTTP port for
 * Kubernetes probes, and graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService<E extends ServiceEnv>(
  definition: ServiceDefinition<E>,
): Promise<void> {
  const env = loadEnvOrExit(definition.env, definition.name);
  const app = await NestFactory.create(serviceRootModule(definition, env), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: draining and shutting down`);
      setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }

  // Handlers get whitelist validation, the correlation context of their message and the RPC error shape.
  app.useGlobalPipes(messageValidationPipe());
  app.useGlobalInterceptors(new MessageContextInterceptor());
  app.useGlobalFilters(new RpcErrorFilter());
  app.connectMicroservice(redisTransport(env.REDIS_URL), { inheritAppConfig: true });

  await app.startAllMicroservices();
  await app.listen(env.HEALTH_PORT, env.HOST);
  logger.log(`${definition.name} ready: transport on Redis, probes on :${env.HEALTH_PORT}/health`);
}
