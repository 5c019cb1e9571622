import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import {
  CatalogueIndex,
  CatalogueIndexSchema,
  CataloguePage,
  CataloguePageSchema,
} from '../catalogue/schemas/catalogue-page.schema';
import { ResultsRepository } from '../results/results.repository';
import { ResultBatch, ResultBatchSchema } from '../results/schemas/result-batch.schema';
import { StoredResult, StoredResultSchema } from '../results/schemas/result.schema';
import { RollupsRepository } from '../rollups/rollups.repository';
import { MetricSnapshot, MetricSnapshotSchema } from '../rollups/schemas/metric-snapshot.schema';
import { RunOutcomes, RunOutcomesSchema } from '../rollups/schemas/run-outcomes.schema';
import { DayIndex, DayIndexSchema } from '../rollups/schemas/day-index.schema';
import { DayStates, DayStatesSchema } from '../rollups/schemas/day-states.schema';
import {
  CalendarMark,
  CalendarMarkSchema,
  ProjectMonth,
  ProjectMonthSchema,
} from '../rollups/schemas/project-calendar.schema';
import { CalendarRepository } from '../rollups/calendar.repository';
import { RunsRepository } from '../runs/runs.repository';
import { RunHeadsRepository } from '../runs/run-heads.repository';
import { RunHead, RunHeadMark, RunHeadMarkSchema, RunHeadSchema } from '../runs/schemas/run-head.schema';
import { Run, RunSchema } from '../runs/schemas/run.schema';
import { IngestionHandler } from './ingestion.handler';
import { IngestionService } from './ingestion.service';
import { Leases } from '../storage/leases';
import { RunFinalizer } from './run-finalizer';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Run.name, schema: RunSchema },
      { name: RunHead.name, schema: RunHeadSchema },
      { name: RunHeadMark.name, schema: RunHeadMarkSchema },
      { name: StoredResult.name, schema: StoredResultSchema },
      { name: ResultBatch.name, schema: ResultBatchSchema },
      { name: CataloguePage.name, schema: CataloguePageSchema },
      { name: CatalogueIndex.name, schema: CatalogueIndexSchema },
      { name: MetricSnapshot.name, schema: MetricSnapshotSchema },
      { name: RunOutcomes.name, schema: RunOutcomesSchema },
      { name: DayStates.name, schema: DayStatesSchema },
      { name: DayIndex.name, schema: DayIndexSchema },
      { name: ProjectMonth.name, schema: ProjectMonthSchema },
      { name: CalendarMark.name, schema: CalendarMarkSchema },
    ]),
  ],
  controllers: [IngestionHandler],
  providers: [
    RunsRepository,
    RunHeadsRepository,
    ResultsRepository,
    CatalogueRepository,
    RollupsRepository,
    CalendarRepository,
    RunFinalizer,
    Leases,
    IngestionService,
  ],
  exports: [
    IngestionService,
    RunsRepository,
    ResultsRepository,
    RollupsRepository,
    CalendarRepository,
    CatalogueRepository,
  ],
})
export class IngestionModule {}
