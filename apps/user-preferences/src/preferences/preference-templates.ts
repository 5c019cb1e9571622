import { PreferenceTemplateView, PreferenceValues, ROLES, Role } from '@testpulse/contracts';

const notifications = (
  email: boolean,
  digest: PreferenceValues['notifications']['digest'],
  minSeverity: PreferenceValues['notifications']['minSeverity'],
): PreferenceValues['notifications'] => ({ email, inApp: true, digest, minSeverity });

/**
 * The preferences each role starts with: what a user never set. A QA engineer looks at the last
 * week and wants every warning as it happens; a test manager the month, with a daily digest; a
 * development lead two weeks and only critical alerts by e-mail; a product owner the month, a
 * weekly digest, critical alerts only.
 */
const TEMPLATES: Record<Role, { description: string; preferences: PreferenceValues }> = {
  admin: {
    description: 'Operates the platform: every alert, the last week, a daily digest.',
    preferences: {
      defaultDashboard: null,
      timezone: 'UTC',
      theme: 'system',
      defaultFilters: { days: 7 },
      notifications: notifications(true, 'daily', 'info'),
    },
  },
  test_manager: {
    description: 'Follows quality over the month; warnings and a daily digest by e-mail.',
    preferences: {
      defaultDashboard: null,
      timezone: 'UTC',
      theme: 'system',
      defaultFilters: { days: 30 },
      notifications: notifications(true, 'daily', 'warning'),
    },
  },
  dev_lead: {
    description: 'Watches the main line over two weeks; critical alerts by e-mail, a weekly digest.',
    preferences: {
      defaultDashboard: null,
      timezone: 'UTC',
      theme: 'system',
      defaultFilters: { days: 14, branch: 'main' },
      notifications: notifications(true, 'weekly', 'critical'),
    },
  },
  qa_engineer: {
    description: 'Works on the last week of runs; warnings in the application as they happen.',
    preferences: {
      defaultDashboard: null,
      timezone: 'UTC',
      theme: 'system',
      defaultFilters: { days: 7 },
      notifications: notifications(false, 'off', 'warning'),
    },
  },
  product_owner: {
    description: 'Reads trends over the month; critical alerts and a weekly digest by e-mail.',
    preferences: {
      defaultDashboard: null,
      timezone: 'UTC',
      theme: 'system',
      defaultFilters: { days: 30 },
      notifications: notifications(true, 'weekly', 'critical'),
    },
  },
};

/** A copy of the template of `role` (callers may change it). */
export function templateOf(role: Role): PreferenceValues {
  return structuredClone(TEMPLATES[role].preferences);
}

export function preferenceTemplates(): PreferenceTemplateView[] {
  return ROLES.map((role) => ({
    role,
    description: TEMPLATES[role].description,
    preferences: templateOf(role),
  }));
}
