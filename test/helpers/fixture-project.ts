/**
 * Definition-key fixtures: one project per module format, holding many small
 * scenarios side by side (each in its own directory), so one run of the project
 * exercises them all. Each scenario's function appends its id to `calls.log`
 * whenever its body runs; comparing counts before and after an edit tells a
 * cache hit from a miss.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempProject, type TempProject } from './temp-project.js';

/** How a fixture project is written, built and run. */
export type ModuleFormat = 'esm' | 'cjs' | 'tsx' | 'tsx-cjs' | 'tsc-esm' | 'tsc-cjs' | 'esbuild';

export const MODULE_FORMATS: readonly ModuleFormat[] = [
  'esm',
  'cjs',
  'tsx',
  'tsx-cjs',
  'tsc-esm',
  'tsc-cjs',
  'esbuild',
];

/** Whether a format's sources are TypeScript. */
export function isTypeScript(format: ModuleFormat): boolean {
  return format !== 'esm' && format !== 'cjs';
}

/** Whether a format runs CommonJS, where a required local module counts as a whole. */
export function isCommonJs(format: ModuleFormat): boolean {
  return format === 'cjs' || format === 'tsc-cjs';
}

/**
 * Source files of one scenario, written in ESM syntax: paths without extension
 * are code files (`.js` or `.ts` added), paths starting with `/` are relative to
 * the project root instead of the scenario directory.
 */
export type ScenarioFiles = Record<string, string>;

const BIN = join(REPO_ROOT, 'node_modules', '.bin');
const TSX_CLI = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * Named ESM imports and exports rewritten as CommonJS, for the plain CommonJS format (the fixtures use no other forms).
 */
export function toCommonJs(source: string): string {
  const exported: string[] = [];
  const body = source
    .replace(/^import ('[^']+');$/gm, (_m, from: string) => `require(${from});`)
    .replace(
      /^import \{([^}]*)\} from ('[^']+');$/gm,
      (_m, names: string, from: string) => `const {${names.replace(/ as /g, ': ')}} = require(${from});`,
    )
    .replace(
      /^export (async function|function|const|let|class) ([A-Za-z_$][\w$]*)/gm,
      (_m, keyword: string, name: string) => {
        exported.push(name);
        return `${keyword} ${name}`;
      },
    );
  if (/^(import|export) /m.test(body)) {
    throw new Error(`fixture source uses an import or export form toCommonJs does not rewrite:\n${source}`);
  }
  return exported.length ? `${body}\nmodule.exports = { ${exported.join(', ')} };\n` : body;
}

const COUNT_MODULE = `import { appendFileSync } from 'node:fs';
export function count(id) {
  appendFileSync('calls.log', id + '\\n');
}
// For code without a module of its own (new Function, eval).
globalThis.funesCount = count;
`;

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Funes' definition warnings printed by the run. */
  readonly warnings: string[];
}

export class FixtureProject {
  /** Files as written by the fixtures (ESM syntax), by path in the project. */
  private sources: Record<string, string> = {};

  constructor(
    readonly format: ModuleFormat,
    private readonly scenarios: readonly string[],
    private readonly project: TempProject = tempProject(`funes-keys-${format}-`),
    copied = false,
  ) {
    if (copied) return;
    const type = format === 'cjs' || format === 'tsc-cjs' || format === 'tsx-cjs' ? 'commonjs' : 'module';
    this.project.write('package.json', JSON.stringify({ name: `keys-${format}`, private: true, type }));
    if (format === 'tsc-esm' || format === 'tsc-cjs') {
      const compilerOptions = {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', rootDir: 'src', outDir: 'dist',
        sourceMap: format === 'tsc-esm', noCheck: true, skipLibCheck: true, types: [],
      };
      this.project.write('tsconfig.json', JSON.stringify({ compilerOptions, include: ['src'] }));
    }
  }

  get dir(): string {
    return this.project.dir;
  }

  private get sourceDir(): string {
    return this.format.startsWith('tsc') || this.format === 'esbuild' ? 'src/' : '';
  }

  private codePath(path: string): string {
    const ext = isTypeScript(this.format) ? '.ts' : '.js';
    return `${this.sourceDir}${path}${ext}`;
  }

  /** Writes a scenario's files (or, with `scenario` undefined, root files). */
  writeScenario(scenario: string | undefined, files: ScenarioFiles): void {
    for (const [name, content] of Object.entries(files)) {
      const rooted = name.startsWith('/') || scenario === undefined;
      const relative = rooted ? name.replace(/^\//, '') : `${scenario}/${name}`;
      const isCode = !/\.[a-z]+$/.test(relative);
      const path = isCode ? this.codePath(relative) : relative;
      this.sources[path] = content;
      this.project.write(path, isCode && this.format === 'cjs' ? toCommonJs(content) : content);
    }
  }

  /**
   * Replaces text in a file written before; fails when the text is not there, so an edit can never silently do nothing.
   */
  edit(scenario: string, name: string, from: string, to: string): void {
    const rooted = name.startsWith('/');
    const relative = rooted ? name.slice(1) : `${scenario}/${name}`;
    const isCode = !/\.[a-z]+$/.test(relative);
    const path = isCode ? this.codePath(relative) : relative;
    const before = this.sources[path];
    if (before === undefined || !before.includes(from)) {
      throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
    }
    const after = before.split(from).join(to);
    this.sources[path] = after;
    this.project.write(path, isCode && this.format === 'cjs' ? toCommonJs(after) : after);
  }

  /** Writes the shared counter and the entry that runs every scenario's `run()` in turn. */
  writeEntry(): void {
    const imports = this.scenarios.map((id, i) => `import { run as run${i} } from './${id}/main.js';`).join('\n');
    const calls = this.scenarios.map((_id, i) => `run${i}`).join(', ');
    // Not top-level await: the same entry must also run as CommonJS.
    this.writeScenario(undefined, {
      count: COUNT_MODULE,
      run: `${imports}\n(async () => { for (const run of [${calls}]) await run(); })();\n`,
    });
  }

  private build(): void {
    const tool =
      this.format === 'esbuild'
        ? [
            join(BIN, 'esbuild'),
            'src/run.ts',
            '--bundle',
            '--platform=node',
            '--target=node20',
            '--format=esm',
            '--packages=external',
            '--sourcemap',
            '--outfile=dist/run.mjs',
          ]
        : [join(BIN, 'tsc'), '-p', 'tsconfig.json'];
    const result = spawnSync(tool[0]!, tool.slice(1), { cwd: this.dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  }

  /** Builds when the format needs it, then runs the entry in a fresh process. */
  run(): RunResult {
    if (this.format.startsWith('tsc') || this.format === 'esbuild') this.build();
    const args = {
      esm: ['run.js'],
      cjs: ['run.js'],
      tsx: [TSX_CLI, 'run.ts'],
      'tsx-cjs': [TSX_CLI, 'run.ts'],
      'tsc-esm': ['--enable-source-maps', 'dist/run.js'],
      'tsc-cjs': ['dist/run.js'],
      esbuild: ['--enable-source-maps', 'dist/run.mjs'],
    }[this.format];
    const result = this.project.node(args);
    if (result.status !== 0) {
      throw new Error(`${this.format} fixture failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    const warnings = result.stderr.split('\n').filter((line) => line.includes('FunesWarning'));
    return { stdout: result.stdout, stderr: result.stderr, warnings };
  }

  /** How many times each scenario's functions have computed so far. */
  counts(): Map<string, number> {
    const log = join(this.dir, 'calls.log');
    const counts = new Map<string, number>();
    if (!existsSync(log)) return counts;
    for (const id of readFileSync(log, 'utf8').split('\n')) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }

  /** A copy of the whole project (cache included) at another path, as a checkout on another computer. */
  moveTo(): FixtureProject {
    const project = tempProject(`funes-keys-moved-${this.format}-`);
    const linked = join(this.dir, 'node_modules', '@funes');
    cpSync(this.dir, project.dir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => !path.startsWith(linked),
    });
    const moved = new FixtureProject(this.format, this.scenarios, project, true);
    moved.sources = { ...this.sources };
    return moved;
  }

  remove(): void {
    this.project.remove();
  }
}
