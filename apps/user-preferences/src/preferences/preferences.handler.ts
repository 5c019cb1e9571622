import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  GetPreferencesMessage,
  PREFERENCE_PATTERNS,
  PreferenceTemplateView,
  PreferencesView,
  PutPreferencesMessage,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { PreferencesService } from './preferences.service';

@Controller()
export class PreferencesHandler {
  constructor(private readonly preferences: PreferencesService) {}

  @MessagePattern(PREFERENCE_PATTERNS.templates)
  templates(): PreferenceTemplateView[] {
    return this.preferences.templates();
  }

  @MessagePattern(PREFERENCE_PATTERNS.get)
  get(@MessageData() message: GetPreferencesMessage): Promise<PreferencesView> {
    return this.preferences.get(message.username);
  }

  @MessagePattern(PREFERENCE_PATTERNS.put)
  put(@MessageData() message: PutPreferencesMessage): Promise<PreferencesView> {
    return this.preferences.put(message.username, message.preferences);
  }
}
