import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LOGGER, Metrics, type Logger } from '@cadence/observability';
import type { ProcessRole } from '@cadence/runtime';
import { AccountController } from './account/account.controller';
import { AccountService } from './account/account.service';
import { ApiKeysController } from './account/api-keys.controller';
import { ApiKeysService } from './account/api-keys.service';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { DecisionsController } from './decisions/decisions.controller';
import { RequestAnswersService } from './decisions/request-answers.service';
import { EnrollmentReadsService } from './enrollments/enrollment-reads.service';
import { EnrollmentsController } from './enrollments/enrollments.controller';
import { RequestEnrollmentsUseCase } from './enrollments/request-enrollments.usecase';
import { serveConsole } from './console/serve-console';
import { ApiKeyGuard } from './http/api-key.guard';
import { requireJsonBody } from './http/json-content-type';
import { bodyParserErrors } from './http/body-errors';
import { httpMetrics } from './http/http-metrics';
import { traceRequests } from './http/request-tracing';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { SequencesController } from './sequences/sequences.controller';
import { SequenceFunnelService } from './sequences/sequence-funnel.service';
import { SequencesService } from './sequences/sequences.service';
import { WhyController } from './why/why.controller';
import { WhyService } from './why/why.service';

@Module({
  controllers: [
    SequencesController,
    EnrollmentsController,
    DecisionsController,
    WhyController,
    AccountController,
    ApiKeysController,
    DeadLettersController,
  ],
  providers: [
    ApiKeyGuard,
    SequencesService,
    RequestEnrollmentsUseCase,
    EnrollmentReadsService,
    WhyService,
    RequestAnswersService,
    AccountService,
    ApiKeysService,
    SequenceFunnelService,
    DeadLettersService,
  ],
})
export class ApiAppModule {}

function configureHttp(app: NestExpressApplication): void {
  app.use(traceRequests(app.get<Logger>(LOGGER)));
  app.use(httpMetrics(app.get(Metrics)));
  // A bulk call carries up to 10,000 contacts.
  app.useBodyParser('json', { limit: '5mb' });
  app.use(bodyParserErrors);
  app.use(requireJsonBody);
  app.useGlobalFilters(new ProblemDetailsFilter(app.get<Logger>(LOGGER)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cadence enrollment engine')
      .setDescription(
        'Sequences, enrollment by every method, the enrollments list and the decision behind each request.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  serveConsole(app, app.get<Logger>(LOGGER));
}

/**
 * HTTP: sequences, manual/bulk/API enrollment, enrollments list, decisions, and the operator console's account,
 * keys, audit, funnels and dead letters. Writes commands; never decides.
 */
export const apiRole: ProcessRole = { name: 'api', module: ApiAppModule, configureHttp };
