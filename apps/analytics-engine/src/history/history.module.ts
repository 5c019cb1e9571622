import { Module } from '@nestjs/common';
import { HistoryClient } from './history.client';
import { KeptRunsHandler } from './kept-runs.handler';
import { RunMemo } from './run-memo';
import { WindowPrebuilder } from './window-prebuilder';

@Module({
  controllers: [KeptRunsHandler],
  providers: [HistoryClient, RunMemo, WindowPrebuilder],
  exports: [HistoryClient],
})
export class HistoryModule {}
