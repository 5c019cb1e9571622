import { bootstrapService } from '@testpulse/service-host';
import { AuditModule } from './audit/audit.module';
import { UserPreferencesEnv } from './env';
import { IngestTokensModule } from './ingest-tokens/ingest-tokens.module';
import { PreferencesModule } from './preferences/preferences.module';
import { ProjectsModule } from './projects/projects.module';
import { UsageModule } from './usage/usage.module';
import { UsersModule } from './users/users.module';

void bootstrapService({
  name: 'user-preferences',
  env: UserPreferencesEnv,
  // Bumps the generation of the access answers the gateway keeps.
  cache: true,
  imports: [UsersModule, ProjectsModule, AuditModule, IngestTokensModule, UsageModule, PreferencesModule],
});
