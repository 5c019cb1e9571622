import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { AnalysisHandler } from './analysis.handler';
import { FlakinessService } from './flakiness.service';
import { MetricsService } from './metrics.service';
import { PatternsService } from './patterns.service';
import { QualityService } from './quality.service';
import { SharedAnalyses } from './shared-analyses';
import { TrendsService } from './trends.service';

@Module({
  imports: [HistoryModule],
  controllers: [AnalysisHandler],
  providers: [
    FlakinessService,
    QualityService,
    TrendsService,
    MetricsService,
    PatternsService,
    SharedAnalyses,
  ],
})
export class AnalysisModule {}
