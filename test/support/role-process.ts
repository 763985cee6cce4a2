import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { roleNodeOptions } from '../../scripts/chaos/role-process';

const ROOT = join(__dirname, '..', '..');
const LOG_DIR = join(ROOT, '.run', 'logs');

/** An app role run as its own OS process from the compiled build (`npm test` builds first). */
export class RoleProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    role: string,
  ) {
    // Also on disk, for a post-mortem of a failed run: .run/logs/test-<role>-<pid>.log
    mkdirSync(LOG_DIR, { recursive: true });
    const file = createWriteStream(join(LOG_DIR, `test-${role}-${child.pid}.log`));
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      file.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(role: string, settings: Record<string, string>): RoleProcess {
    const main = join(ROOT, 'dist', 'apps', role, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (npm test does it)`);
    const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', main], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: roleNodeOptions(ROOT),
        ...settings,
        LOG_LEVEL: 'info',
        TS_NODE_BASEURL: join(ROOT, 'dist'),
        HTTP_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new RoleProcess(child, role);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get log(): string {
    return this.output.join('');
  }

  /** The HTTP port it listens on now (the last one it logged: while waiting for dependencies, then booted). */
  get port(): number | undefined {
    const ports = [...this.log.matchAll(/"port":(\d+)/g)].map((match) => Number(match[1]));
    return ports.length > 0 ? ports[ports.length - 1] : undefined;
  }

  /** GET a path on its HTTP port: status and JSON body; undefined while it has no port or does not answer. */
  async get(path: string): Promise<{ status: number; body: unknown } | undefined> {
    if (this.port === undefined) return undefined;
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}${path}`, {
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, body: await response.json() };
    } catch {
      return undefined;
    }
  }
}
