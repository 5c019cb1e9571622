import { ReportSectionView, ReportTemplateId } from '@testpulse/contracts';
import { ResolvedFilter } from '../filter/report-filter';

/** What a template produces; the service adds the id, filter, author and dates. */
export interface BuiltReport {
  sections: ReportSectionView[];
  notes: string[];
}

/** One template's implementation. */
export interface ReportBuilder {
  readonly id: ReportTemplateId;
  build(filter: ResolvedFilter): Promise<BuiltReport>;
}
