import { Controller, Logger } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { ANALYTICS_LIMITS, EXECUTION_EVENTS, MetricsUpdatedEvent } from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { HistoryClient, windowOf } from './history.client';
import { WindowPrebuilder } from './window-prebuilder';

/**
 * Keeps each finished run decoded in this process (RunMemo) from the moment it is stored:
 * data-aggregation announces the run's day once its states and outcomes are written
 * (`metrics.updated`), and the day's runs not held yet are read then, while nobody waits for them.
 * Without this, the first analyses after a quiet spell (a dashboard opened in the morning, after the
 * night's runs) read every run of their window first. Only days of the default window (the last
 * ANALYTICS_LIMITS.defaultDays days) are read ahead: a run uploaded onto an older day waits for an
 * analysis that asks for it. Once the project's runs go quiet, its windows are built too
 * (WindowPrebuilder).
 */
@Controller()
export class KeptRunsHandler {
  private readonly logger = new Logger(KeptRunsHandler.name);

  constructor(
    private readonly history: HistoryClient,
    private readonly prebuilder: WindowPrebuilder,
  ) {}

  @EventPattern(EXECUTION_EVENTS.metricsUpdated)
  async dayChanged(@MessageData() event: MetricsUpdatedEvent): Promise<void> {
    const { from, to } = windowOf(ANALYTICS_LIMITS.defaultDays);
    if (event.day < from || event.day > to) return;
    try {
      await this.history.keepDay(event.project, event.day);
    } catch (error) {
      // The analyses read what is missing themselves.
      this.logger.warn(
        { project: event.project, day: event.day, err: (error as Error).message },
        "a finished run's day could not be read ahead",
      );
    }
    this.prebuilder.runKept(event.project);
  }
}
