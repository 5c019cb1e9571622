import { Module } from '@nestjs/common';
import { HistoryClient } from './history.client';
import { KeptRunsHandler } from './kept-runs.handler';
import { RunMemo } from './run-memo';

@Module({ controllers: [KeptRunsHandler], providers: [HistoryClient, RunMemo], exports: [HistoryClient] })
export class HistoryModule {}
