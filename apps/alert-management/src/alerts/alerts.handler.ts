import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ALERT_PATTERNS, ActiveAlertsMessage, ActiveAlertsView } from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { AlertsRepository } from './alerts.repository';

const DEFAULT_LIMIT = 20;

@Controller()
export class AlertsHandler {
  constructor(private readonly alerts: AlertsRepository) {}

  @MessagePattern(ALERT_PATTERNS.active)
  active(@MessageData() message: ActiveAlertsMessage): Promise<ActiveAlertsView> {
    return this.alerts.active([...new Set(message.projects)], message.limit ?? DEFAULT_LIMIT);
  }
}
