import { Injectable } from '@nestjs/common';
import {
  GenerateReportMessage,
  GetReportMessage,
  ReportFilterDto,
  ReportTemplateId,
  ReportTemplateView,
  ReportView,
  WarmReportMessage,
  WarmReportReply,
} from '@testpulse/contracts';
import { TwoLayerCache, canonicalJson } from '@testpulse/cache';
import { rpcError } from '@testpulse/messaging';
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { ResolvedFilter, resolveFilter } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { ReportTemplates } from '../templates/template-registry';
import { ReportsRepository } from './reports.repository';
import { Report } from './schemas/report.schema';

/** Plain JSON: no undefined fields, no class instances (what is stored is what is read back). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function toReportView(doc: Report): ReportView {
  return {
    id: doc._id,
    template: doc.template as ReportTemplateId,
    title: doc.title,
    filter: doc.filter as unknown as ReportFilterDto,
    projects: doc.projects,
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt).toISOString(),
    computedAt: new Date(doc.computedAt ?? doc.createdAt).toISOString(),
    ...(doc.window ? { window: doc.window } : {}),
    sections: doc.sections ?? [],
    notes: doc.notes ?? [],
  };
}

/** Reports remembered for asking again: by count and by the size of their JSON. */
const RECENT_REPORTS = { max: 1000, maxSize: 32 * 1024 * 1024 };

@Injectable()
export class ReportsService {
  /**
   * The reports stored lately, by what makes two the same: the same user asking the same title,
   * template and filter, answered from the same cached body. Asking again returns the stored report
   * instead of storing a copy.
   */
  private readonly recent = new LRUCache<string, ReportView>({
    ...RECENT_REPORTS,
    sizeCalculation: (view) => JSON.stringify(view).length,
  });

  constructor(
    private readonly templates: ReportTemplates,
    private readonly repository: ReportsRepository,
    private readonly sources: SourcesClient,
    private readonly cache: TwoLayerCache,
  ) {}

  listTemplates(): ReportTemplateView[] {
    return this.templates.templates();
  }

  /**
   * Builds the report from the other services' answers (or takes the body from the cache when
   * nothing was ingested for its projects since it was built), stores it whole, and returns it. The
   * same user asking the same report again with nothing new gets the report already stored (same id).
   */
  async generate(message: GenerateReportMessage, now = new Date()): Promise<ReportView> {
    const { template, resolved, body } = await this.body(message, now);
    const title = message.title ?? template.title;
    const sameAs = canonicalJson({
      createdBy: message.createdBy,
      title,
      template: template.id,
      filter: message.filter,
      resolved,
      computedAt: body.computedAt,
    });
    const stored = body.source === 'computed' ? undefined : this.recent.get(sameAs);
    if (stored) return stored;
    const built = body.value;
    const report: Report = {
      ...plain({
        _id: randomUUID(),
        template: template.id,
        title,
        filter: message.filter as unknown as Record<string, unknown>,
        projects: resolved.projects,
        createdBy: message.createdBy,
        ...(resolved.window ? { window: resolved.window } : {}),
        sections: built.sections,
        notes: built.notes,
      }),
      createdAt: now,
      computedAt: new Date(body.computedAt),
    };
    await this.repository.insert(report);
    const view = toReportView(report);
    this.recent.set(sameAs, view);
    return view;
  }

  /** Computes the body of a report into the cache without storing a report (cache warming). */
  async warm(message: WarmReportMessage, now = new Date()): Promise<WarmReportReply> {
    const { body } = await this.body(message, now);
    return { cached: body.source === 'local' || body.source === 'redis' };
  }

  private async body(message: WarmReportMessage, now: Date) {
    const { template, builder } = this.templates.resolve(message.template);
    const resolved: ResolvedFilter = resolveFilter(template, message.filter, now);
    const body = await this.cache.read(
      { namespace: 'reports', projects: resolved.projects, params: { template: template.id, resolved } },
      () => builder.build(resolved),
    );
    return { template, resolved, body };
  }

  /** A stored report; with `member`, only if that user belongs to every project of it. */
  async get(message: GetReportMessage): Promise<ReportView> {
    const report = await this.repository.find(message.id);
    if (!report) throw rpcError('NOT_FOUND', `report '${message.id}' does not exist`);
    if (message.member !== undefined) {
      const { unknown, denied } = await this.sources.access(report.projects, message.member);
      const refused = [...denied, ...unknown];
      if (refused.length)
        throw rpcError('PERMISSION_DENIED', `you are not a member of project '${refused[0]}'`);
    }
    return toReportView(report);
  }
}
