import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readiness, type ReadinessReport } from './readiness';

const READY_EXAMPLE = { ready: true, components: { database: { ok: true }, kafka: { ok: true } } };
const UNREADY_EXAMPLE = {
  ready: false,
  components: { database: { ok: true }, kafka: { ok: false, detail: 'no broker answered within 2000 ms' } },
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ operationId: 'live', summary: 'The process is up' })
  @ApiResponse({
    status: 200,
    description: 'Alive',
    content: { 'application/json': { example: { status: 'ok' } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 when every dependency and worker is ready; otherwise 503 with the same report, naming each one that is
   * not and why (set here, not thrown: an app's error filter must not reshape the report).
   */
  @Get('ready')
  @ApiOperation({ operationId: 'ready', summary: 'Every dependency and worker is ready' })
  @ApiResponse({
    status: 200,
    description: 'Ready',
    content: { 'application/json': { example: READY_EXAMPLE } },
  })
  @ApiResponse({
    status: 503,
    description: 'Not ready: each component that is not, and why',
    content: { 'application/json': { example: UNREADY_EXAMPLE } },
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const report = await this.readiness.report();
    if (!report.ready) response.status(503);
    return report;
  }
}
