import { PreferencesInputDto, ROLES } from '@testpulse/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { preferenceTemplates, templateOf } from './preference-templates';

describe('preference templates', () => {
  it('has one template a role, each a valid set of preferences', () => {
    const templates = preferenceTemplates();
    expect(templates.map((t) => t.role)).toEqual([...ROLES]);
    for (const { role, preferences } of templates) {
      const errors = validateSync(plainToInstance(PreferencesInputDto, preferences), {
        whitelist: true,
        forbidNonWhitelisted: true,
      });
      expect({ role, errors }).toEqual({ role, errors: [] });
    }
  });

  it('gives copies, so that a caller cannot change the template', () => {
    const copy = templateOf('qa_engineer');
    copy.defaultFilters.days = 99;
    copy.notifications.email = true;
    expect(templateOf('qa_engineer').defaultFilters.days).toBe(7);
    expect(templateOf('qa_engineer').notifications.email).toBe(false);
  });

  it('refuses an unknown time zone, theme or field, naming it', () => {
    const errors = validateSync(
      plainToInstance(PreferencesInputDto, {
        timezone: 'Mars/Olympus',
        theme: 'neon',
        colour: 'red',
        notifications: { email: 'yes', inApp: true, digest: 'hourly', minSeverity: 'warning' },
      }),
      { whitelist: true, forbidNonWhitelisted: true },
    );
    const text = JSON.stringify(errors);
    expect(text).toMatch(/timezone must be an IANA time zone/);
    expect(text).toMatch(/theme must be one of light, dark, system/);
    expect(text).toMatch(/property colour should not exist/);
    expect(text).toMatch(/digest must be one of the following values/);
    expect(text).toMatch(/email must be a boolean value/);
  });
});
