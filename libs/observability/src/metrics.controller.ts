import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Metrics } from './metrics';

/** Prometheus text exposition of the process's metrics. */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics of this process' })
  @ApiResponse({
    status: 200,
    description: 'Prometheus text format',
    content: {
      'text/plain': {
        example:
          '# TYPE cadence_enrollment_decisions_total counter\ncadence_enrollment_decisions_total{method="api",outcome="enrolled",reason="enrolled"} 12',
      },
    },
  })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
