// GET /_trent/health: 200 once the store is open and the seed applied (a request that arrives earlier waits),
// for container health checks and orchestrators.
import type { HealthStatus, TrentControl } from './trent-control.ts';

export const health = async (_body: unknown, control: TrentControl): Promise<HealthStatus> => control.health();
