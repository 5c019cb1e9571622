import { RpcException } from '@nestjs/microservices';
import { REPORT_FILTER_FIELDS, REPORT_TEMPLATES, REPORT_TEMPLATE_IDS } from '@testpulse/contracts';
import { ReportBuilder } from './report-builder';
import { TemplateRegistry } from './template-registry';

const builder = (id: ReportBuilder['id']): ReportBuilder => ({
  id,
  build: () => Promise.resolve({ sections: [], notes: [id] }),
});

describe('report templates', () => {
  it('describes every template id once, with filter fields that exist', () => {
    expect(REPORT_TEMPLATES.map((t) => t.id)).toEqual([...REPORT_TEMPLATE_IDS]);
    for (const template of REPORT_TEMPLATES) {
      expect(template.filters).toContain('projects');
      for (const field of [...template.filters, ...template.required])
        expect(REPORT_FILTER_FIELDS).toContain(field);
      for (const field of template.required) expect(template.filters).toContain(field);
    }
  });
});

describe('TemplateRegistry', () => {
  const registry = new TemplateRegistry(REPORT_TEMPLATE_IDS.map(builder));

  it('maps each id to its description and builder', async () => {
    expect(registry.templates().map((t) => t.id)).toEqual([...REPORT_TEMPLATE_IDS]);
    const { template, builder: found } = registry.resolve('run-comparison');
    expect(template.multiProject).toBe(false);
    await expect(found.build({} as never)).resolves.toEqual({ sections: [], notes: ['run-comparison'] });
  });

  it('refuses an unknown id, naming it', () => {
    try {
      registry.resolve('weekly-digest');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(RpcException);
      expect((error as RpcException).getError()).toEqual({
        code: 'INVALID_ARGUMENT',
        message: `template 'weekly-digest' is unknown; templates: ${REPORT_TEMPLATE_IDS.join(', ')}`,
      });
    }
  });

  it('will not start with a template that has no builder', () => {
    expect(() => new TemplateRegistry([builder('trends')])).toThrow(
      'report templates without a builder: executive-summary, flaky-tests, failure-drilldown, slowest-tests, run-comparison',
    );
  });
});
