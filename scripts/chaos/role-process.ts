import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The roles' V8 flags (their heap budget) as the image and `npm run up` run them: scripts/image/node-options. */
export function roleNodeOptions(root = ROOT): string {
  return readFileSync(join(root, 'scripts', 'image', 'node-options'), 'utf8').trim();
}

/** One app role as its own OS process (the compiled build), its log in a file, its port read from the log. */
export class ChaosRole {
  private child: ChildProcess | undefined;
  private port: number | undefined;
  private output = '';
  private exited: Promise<void> = Promise.resolve();
  private starts = 0;

  constructor(
    readonly role: string,
    readonly label: string,
    private readonly settings: Record<string, string>,
    private readonly logDir: string,
    /** Extra node flags NODE_OPTIONS cannot carry (`--cpu-prof`, to profile a role under a benchmark). */
    private readonly nodeFlags: readonly string[] = [],
  ) {}

  start(): void {
    mkdirSync(this.logDir, { recursive: true });
    this.starts++;
    const log = createWriteStream(join(this.logDir, `${this.label}.${this.starts}.log`));
    this.port = undefined;
    this.output = '';
    const child = spawn(
      process.execPath,
      [
        ...this.nodeFlags,
        '-r',
        'tsconfig-paths/register',
        join(ROOT, 'dist', 'apps', this.role, 'src', 'main.js'),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_OPTIONS: roleNodeOptions(),
          ...this.settings,
          TS_NODE_BASEURL: join(ROOT, 'dist'),
          HTTP_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      log.write(text);
      if (this.port === undefined) {
        this.output += text;
        const started = /"port":(\d+)[^\n]*"msg":"[a-z-]+ started"/.exec(this.output);
        if (started) this.port = Number(started[1]);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    this.child = child;
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    this.child?.kill(signal);
    return this.exited;
  }

  /** 200 from /health/ready. */
  async ready(): Promise<boolean> {
    if (this.port === undefined) return false;
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`, {
        signal: AbortSignal.timeout(3_000),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** The process id while it runs (benchmarks read its memory from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string | undefined {
    return this.port === undefined ? undefined : `http://127.0.0.1:${this.port}`;
  }
}
