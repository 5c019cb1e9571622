import { Module } from '@nestjs/common';
import { HistoryClient } from './history.client';

@Module({ providers: [HistoryClient], exports: [HistoryClient] })
export class HistoryModule {}
