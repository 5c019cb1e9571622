import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  ANALYTICS_PATTERNS,
  FlakinessRequestDto,
  FlakinessView,
  MetricsView,
  PatternsRequestDto,
  PatternsView,
  QualityScoreView,
  SuiteWindowQueryDto,
  MetricsRequestDto,
  TrendsView,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { FlakinessService } from './flakiness.service';
import { MetricsService } from './metrics.service';
import { PatternsService } from './patterns.service';
import { QualityService } from './quality.service';
import { TrendsService } from './trends.service';

@Controller()
export class AnalysisHandler {
  constructor(
    private readonly flakiness: FlakinessService,
    private readonly quality: QualityService,
    private readonly trendsService: TrendsService,
    private readonly metricsService: MetricsService,
    private readonly patternsService: PatternsService,
  ) {}

  @MessagePattern(ANALYTICS_PATTERNS.flakiness)
  flaky(@MessageData() message: FlakinessRequestDto): Promise<FlakinessView> {
    return this.flakiness.analyse(message);
  }

  @MessagePattern(ANALYTICS_PATTERNS.qualityScore)
  qualityScore(@MessageData() message: SuiteWindowQueryDto): Promise<QualityScoreView> {
    return this.quality.score(message);
  }

  @MessagePattern(ANALYTICS_PATTERNS.trends)
  trends(@MessageData() message: SuiteWindowQueryDto): Promise<TrendsView> {
    return this.trendsService.trends(message);
  }

  @MessagePattern(ANALYTICS_PATTERNS.metrics)
  metrics(@MessageData() message: MetricsRequestDto): Promise<MetricsView> {
    return this.metricsService.metrics(message);
  }

  @MessagePattern(ANALYTICS_PATTERNS.patterns)
  patterns(@MessageData() message: PatternsRequestDto): Promise<PatternsView> {
    return this.patternsService.patterns(message);
  }
}
