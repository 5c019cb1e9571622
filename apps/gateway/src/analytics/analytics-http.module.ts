import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { CachedReads } from './cached-reads';

@Module({ controllers: [AnalyticsController], providers: [CachedReads] })
export class AnalyticsHttpModule {}
