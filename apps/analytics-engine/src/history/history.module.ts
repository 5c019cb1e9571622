import { Module } from '@nestjs/common';
import { HistoryClient } from './history.client';
import { RunMemo } from './run-memo';

@Module({ providers: [HistoryClient, RunMemo], exports: [HistoryClient] })
export class HistoryModule {}
