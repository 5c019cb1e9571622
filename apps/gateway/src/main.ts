import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadEnvOrExit } from '@testpulse/config';
import { VALIDATION_OPTIONS, describeValidationErrors, redisTransport } from '@testpulse/messaging';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { GatewayEnv } from './env';
import { GatewayModule } from './gateway.module';
import { AuditMiddleware } from './http/audit.middleware';
import { bodyErrorHandler } from './http/body-error.handler';
import { requestContextMiddleware } from './http/request-context.middleware';
import type { Server } from 'node:http';

export const API_PREFIX = 'api/v1';

async function bootstrap(): Promise<void> {
  const env = loadEnvOrExit(GatewayEnv, 'gateway');
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.register(env), {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  app.set('trust proxy', env.TRUST_PROXY);
  app.use(requestContextMiddleware);
  // Before the body parser, so that rejected bodies (413, malformed JSON) are audited too.
  const audit = app.get(AuditMiddleware);
  app.use(audit.use.bind(audit));
  app.use(helmet({ contentSecurityPolicy: false }));
  // Result uploads may be large; everything else gets the ordinary limit.
  app.use(`/${API_PREFIX}/executions`, json({ limit: env.INGEST_BODY_LIMIT }));
  app.use(json({ limit: env.BODY_LIMIT }));
  app.use(bodyErrorHandler);
  if (env.CORS_ORIGINS) app.enableCors({ origin: env.CORS_ORIGINS.split(',').map((o) => o.trim()) });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
  app.useGlobalPipes(
    new ValidationPipe({
      ...VALIDATION_OPTIONS,
      exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors)),
    }),
  );

  const openApi = new DocumentBuilder()
    .setTitle('testpulse API')
    .setDescription('Test execution reporting and analytics')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });

  // Run events from the transport, pushed to the real-time clients (every instance hears them all).
  app.connectMicroservice(redisTransport(env.REDIS_URL));
  await app.startAllMicroservices();
  await app.listen(env.GATEWAY_PORT, env.HOST);
  // Idle keep-alive connections stay open longer than clients and load balancers keep them (Node's
  // 5 s default closes sockets a client is about to reuse: it sees "socket hang up").
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  logger.log(`gateway listening on http://${env.HOST}:${env.GATEWAY_PORT}/${API_PREFIX}`);
}

void bootstrap();
