import { Injectable } from '@nestjs/common';
import { REPORT_TEMPLATES, ReportTemplateView } from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { ExecutiveSummaryTemplate } from './executive-summary.template';
import { FailureDrilldownTemplate } from './failure-drilldown.template';
import { FlakyTestsTemplate } from './flaky-tests.template';
import { ReportBuilder } from './report-builder';
import { RunComparisonTemplate } from './run-comparison.template';
import { SlowestTestsTemplate } from './slowest-tests.template';
import { TrendsTemplate } from './trends.template';

/** Template id → its description (contracts) and its builder (one class each). */
export class TemplateRegistry {
  private readonly builders: ReadonlyMap<string, ReportBuilder>;
  private readonly views: ReadonlyMap<string, ReportTemplateView>;

  constructor(
    builders: readonly ReportBuilder[],
    templates: readonly ReportTemplateView[] = REPORT_TEMPLATES,
  ) {
    this.builders = new Map(builders.map((builder) => [builder.id, builder]));
    this.views = new Map(templates.map((template) => [template.id, template]));
    const unbuilt = templates.filter((template) => !this.builders.has(template.id)).map((t) => t.id);
    if (unbuilt.length) throw new Error(`report templates without a builder: ${unbuilt.join(', ')}`);
  }

  templates(): ReportTemplateView[] {
    return [...this.views.values()];
  }

  /** The template and its builder; INVALID_ARGUMENT naming an unknown id. */
  resolve(id: string): { template: ReportTemplateView; builder: ReportBuilder } {
    const template = this.views.get(id);
    const builder = this.builders.get(id);
    if (!template || !builder)
      throw rpcError(
        'INVALID_ARGUMENT',
        `template '${id}' is unknown; templates: ${[...this.views.keys()].join(', ')}`,
      );
    return { template, builder };
  }
}

/** The registry of the running service, with every template of the contracts. */
@Injectable()
export class ReportTemplates extends TemplateRegistry {
  constructor(
    executiveSummary: ExecutiveSummaryTemplate,
    flakyTests: FlakyTestsTemplate,
    failureDrilldown: FailureDrilldownTemplate,
    slowestTests: SlowestTestsTemplate,
    trends: TrendsTemplate,
    runComparison: RunComparisonTemplate,
  ) {
    super([executiveSummary, flakyTests, failureDrilldown, slowestTests, trends, runComparison]);
  }
}

export const TEMPLATE_BUILDERS = [
  ExecutiveSummaryTemplate,
  FlakyTestsTemplate,
  FailureDrilldownTemplate,
  SlowestTestsTemplate,
  TrendsTemplate,
  RunComparisonTemplate,
];
