import { Inject, Injectable } from '@nestjs/common';
import { HEALTH_PATTERNS, SERVICE_NAMES, ServiceName } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { GatewayEnv } from '../env';

export interface ServiceStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface FleetHealth {
  status: 'ok' | 'degraded';
  services: Record<ServiceName, ServiceStatus>;
}

/** Asks every service over the transport, in parallel, each with a short deadline. */
@Injectable()
export class FleetHealthService {
  constructor(
    private readonly services: ServiceClient,
    @Inject(GatewayEnv) private readonly env: GatewayEnv,
  ) {}

  async check(): Promise<FleetHealth> {
    const entries = await Promise.all(
      SERVICE_NAMES.map(async (name): Promise<[ServiceName, ServiceStatus]> => {
        const started = performance.now();
        try {
          await this.services.send(HEALTH_PATTERNS[name], {}, { timeoutMs: this.env.HEALTH_TIMEOUT_MS });
          return [name, { status: 'up', latencyMs: Math.round(performance.now() - started) }];
        } catch (error) {
          const latencyMs = Math.round(performance.now() - started);
          return [name, { status: 'down', latencyMs, error: (error as Error).message }];
        }
      }),
    );
    const services = Object.fromEntries(entries) as Record<ServiceName, ServiceStatus>;
    const allUp = entries.every(([, s]) => s.status === 'up');
    return { status: allUp ? 'ok' : 'degraded', services };
  }
}
