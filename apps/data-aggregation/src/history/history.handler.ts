import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CatalogueTestView,
  DailyRollupsMessage,
  DayBucketView,
  FailureExampleMessage,
  FailureExampleView,
  FailureFingerprintsView,
  HISTORY_PATTERNS,
  HistoryWindowMessage,
  PackedRunOutcomesView,
  CatalogueMessage,
  RunHeader,
  RunOutcomesMessage,
  WindowRunView,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { HistoryService } from './history.service';

@Controller()
export class HistoryHandler {
  constructor(private readonly history: HistoryService) {}

  @MessagePattern(HISTORY_PATTERNS.runs)
  runs(@MessageData() message: HistoryWindowMessage): Promise<RunHeader[]> {
    return this.history.runsIn(message);
  }

  @MessagePattern(HISTORY_PATTERNS.outcomes)
  outcomes(@MessageData() message: RunOutcomesMessage): Promise<PackedRunOutcomesView[]> {
    return this.history.outcomes(message);
  }

  @MessagePattern(HISTORY_PATTERNS.states)
  states(@MessageData() message: HistoryWindowMessage): Promise<WindowRunView[]> {
    return this.history.statesIn(message);
  }

  @MessagePattern(HISTORY_PATTERNS.fingerprints)
  fingerprints(@MessageData() message: HistoryWindowMessage): Promise<FailureFingerprintsView> {
    return this.history.failureFingerprints(message);
  }

  @MessagePattern(HISTORY_PATTERNS.catalogue)
  catalogue(@MessageData() message: CatalogueMessage): Promise<CatalogueTestView[]> {
    return this.history.catalogueOf(message.project, message.ordinals);
  }

  @MessagePattern(HISTORY_PATTERNS.days)
  days(@MessageData() message: DailyRollupsMessage): Promise<DayBucketView[]> {
    return this.history.days(message);
  }

  @MessagePattern(HISTORY_PATTERNS.failureExample)
  failureExample(@MessageData() message: FailureExampleMessage): Promise<FailureExampleView> {
    return this.history.failureExample(message);
  }
}
