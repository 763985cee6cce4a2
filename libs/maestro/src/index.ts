export { AiGate, type GateVerdict } from './ai-gate';
export { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
export { HttpMaestro } from './http-maestro';
export { MAESTRO, type Maestro, type MaestroAnswer, type MaestroQuestion } from './maestro.port';
export { MaestroModule } from './maestro.module';
