import { Module } from '@nestjs/common';
import { CacheAdminHandler } from './cache-admin.handler';
import { RewarmScheduler } from './rewarm.scheduler';
import { WarmingService } from './warming.service';

@Module({ controllers: [CacheAdminHandler], providers: [WarmingService, RewarmScheduler] })
export class CacheAdminModule {}
