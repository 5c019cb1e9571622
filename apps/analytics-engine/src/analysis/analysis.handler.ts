import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  ANALYTICS_LIMITS,
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
import { PatternsService, windowBefore } from './patterns.service';
import { QualityService } from './quality.service';
import { SharedAnalyses } from './shared-analyses';
import { TrendsService } from './trends.service';
import { windowOf } from '../history/history.client';

/** The days an analysis of the last `days` days reads. */
const spanOf = (message: { days?: number }) => windowOf(message.days ?? ANALYTICS_LIMITS.defaultDays);

/** Analyses; identical requests over the same stored data while one is computed share it (SharedAnalyses). */
@Controller()
export class AnalysisHandler {
  constructor(
    private readonly flakiness: FlakinessService,
    private readonly quality: QualityService,
    private readonly trendsService: TrendsService,
    private readonly metricsService: MetricsService,
    private readonly patternsService: PatternsService,
    private readonly shared: SharedAnalyses,
  ) {}

  @MessagePattern(ANALYTICS_PATTERNS.flakiness)
  flaky(@MessageData() message: FlakinessRequestDto): Promise<FlakinessView> {
    return this.shared.run('flakiness', message, spanOf(message), () => this.flakiness.analyse(message));
  }

  @MessagePattern(ANALYTICS_PATTERNS.qualityScore)
  qualityScore(@MessageData() message: SuiteWindowQueryDto): Promise<QualityScoreView> {
    return this.shared.run('quality', message, spanOf(message), () => this.quality.score(message));
  }

  @MessagePattern(ANALYTICS_PATTERNS.trends)
  trends(@MessageData() message: SuiteWindowQueryDto): Promise<TrendsView> {
    return this.shared.run('trends', message, spanOf(message), () => this.trendsService.trends(message));
  }

  @MessagePattern(ANALYTICS_PATTERNS.metrics)
  metrics(@MessageData() message: MetricsRequestDto): Promise<MetricsView> {
    return this.shared.run('metrics', message, spanOf(message), () => this.metricsService.metrics(message));
  }

  @MessagePattern(ANALYTICS_PATTERNS.patterns)
  patterns(@MessageData() message: PatternsRequestDto): Promise<PatternsView> {
    const window = spanOf(message);
    const span = {
      from: windowBefore(message.days ?? ANALYTICS_LIMITS.defaultDays, window.from).from,
      to: window.to,
    };
    return this.shared.run('patterns', message, span, () => this.patternsService.patterns(message));
  }
}
