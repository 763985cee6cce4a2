import { Module, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ProcessRole } from '@cadence/runtime';

@Module({})
export class ApiAppModule {}

function configureHttp(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Cadence enrollment engine').setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}

/** HTTP: sequences, manual/bulk/API enrollment, enrollments list, decisions. Writes commands; never decides. */
export const apiRole: ProcessRole = { name: 'api', module: ApiAppModule, workers: [], configureHttp };
