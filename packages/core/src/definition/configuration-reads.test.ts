import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSync } from 'oxc-parser';
import type { AstNode } from '../function-source.js';
import { codeCommandLine, commandLineArgument } from './command-line-reads.js';
import { configurationReads, mayReadConfiguration, processNames } from './configuration-reads.js';

/** What `code` reads, parsed as modules are (without parentheses). */
function reads(code: string, constants: Record<string, string> = {}) {
  const parsed = parseSync('m.js', code, { sourceType: 'module', preserveParens: false });
  const program = parsed.program as unknown as AstNode;
  const constant = (name: string) => {
    if (!(name in constants)) return undefined;
    const init = parseSync('c.js', `(${constants[name]})`, { sourceType: 'module', preserveParens: false })
      .program as unknown as AstNode;
    return ((init.body as AstNode[])[0]!.expression as AstNode);
  };
  return configurationReads(program, constant);
}

test('environment variables named statically, however spelled', () => {
  const found = reads(
    `process.env.A; process.env['B']; globalThis.process.env.C; ` +
        `const { D, E: e, ...rest } = process.env; process.env[name]; process['env'].F; globalThis['process'].env.G;`,
  );
  assert.deepEqual(found.environment, ['A', 'B', 'C', 'D', 'E', 'F', 'G']);
});

test('environment variables read by a name written in place, through Reflect, hasOwn, `in` or an alias', () => {
  const code =
    `const env = process.env; env.A; Reflect.get(process.env, 'B'); Reflect.has(env, 'C'); ` +
    `Object.hasOwn(process.env, 'D'); 'E' in env; env.hasOwnProperty('F'); ` +
    `Object.prototype.hasOwnProperty.call(process.env, 'G'); Object.getOwnPropertyDescriptor(env, 'H'); ` +
    `Reflect.get(other, 'X'); Reflect.get(env, key); 'Y' in other;`;
  const program = parseSync('m.js', code, { sourceType: 'module' }).program as unknown as AstNode;
  const found = configurationReads(program, () => undefined, processNames(program));
  assert.deepEqual(found.environment, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
});

test('an environment variable named by a module constant', () => {
  assert.deepEqual(reads(`process.env[KEY]; process.env[other];`, { KEY: `'SCALE'` }).environment, ['SCALE']);
});

test('an environment variable named by constants put together', () => {
  const found = reads(
    `process.env[PREFIX + '_SCALE']; process.env[\`\${PREFIX}_SEED\`]; Reflect.get(process.env, PREFIX + '_LR'); ` +
      `'A' + 'B' in process.env; const { [KEY]: k } = process.env;`,
    { PREFIX: `'APP'`, KEY: `'KEYED'` },
  );
  assert.deepEqual(found.environment, ['AB', 'APP_LR', 'APP_SCALE', 'APP_SEED', 'KEYED']);
  assert.equal(found.computedEnvironment, false);
});

test('environment variables read by a name computed at run time are told, not guessed', () => {
  const computed = [
    `process.env[name]`,
    `process.env['APP_' + name]`,
    `({ ...process.env }).SCALE`,
    `Object.keys(process.env)`,
    `settings(process.env)`,
    `const { A, ...rest } = process.env`,
    `for (const key in process.env) use(key)`,
    `Reflect.get(process.env, key)`,
    `'K' + key in process.env`,
  ];
  for (const code of computed) assert.equal(reads(code).computedEnvironment, true, code);
  const named = [
    `process.env.SCALE`,
    `process.env[name] = 'x'; delete process.env[other]`,
    `Object.assign(process.env, parsed)`,
    `spawn('python3', ['fit.py'], { env: { ...process.env, CUDA: '0' } })`,
    `fork('./child.js', [], { env: process.env })`,
  ];
  for (const code of named) assert.equal(reads(code).computedEnvironment, false, code);
});

test('a path put together from module constants, in a template or with +', () => {
  const found = reads(
    'readFileSync(`${DIR}/a.txt`); readFileSync(DIR + \'/b.txt\'); readFileSync(`${HERE}/c.json`); ' +
      'readFileSync(HERE + \'/d.json\'); readFileSync(join(__dirname, SUB, \'e.json\')); ' +
      'readFileSync(new URL(`./${NAME}`, import.meta.url)); readFileSync(`${DIR}/${name}.txt`);',
    { DIR: `'data'`, HERE: `join(__dirname, 'conf')`, SUB: `'sub'`, NAME: `'f.json'` },
  );
  assert.deepEqual(found.files, [
    { path: 'data/a.txt', base: 'cwd' },
    { path: 'data/b.txt', base: 'cwd' },
    { path: './conf/c.json', base: 'module' },
    { path: './conf/d.json', base: 'module' },
    { path: './sub/e.json', base: 'module' },
    { path: './f.json', base: 'module' },
    { path: 'data/*.txt', base: 'cwd', pattern: true },
  ]);
});

test('a path under the working directory or the module directory, however joined', () => {
  const found = reads(
    `readFileSync(join(process.cwd(), 'data', 'a.csv')); readFile(path.resolve(process.cwd(), 'b.csv')); ` +
      'readFileSync(`${process.cwd()}/c.csv`); readFileSync(`${__dirname}/d.csv`); readFileSync(`${other}/e.csv`);',
  );
  assert.deepEqual(found.files, [
    { path: 'data/a.csv', base: 'cwd' },
    { path: 'b.csv', base: 'cwd' },
    { path: 'c.csv', base: 'cwd' },
    { path: './d.csv', base: 'module' },
  ]);
});

test('file paths known without running the code', () => {
  const found = reads(
    `readFileSync('data.csv'); fs.readFile(\`b.txt\`); readFileSync(new URL('./c.json', import.meta.url)); ` +
        `readFileSync(join(__dirname, 'd', 'e.txt'));
     readFileSync(path.resolve(import.meta.dirname, 'f.txt')); readFileSync(TABLE); ` +
         `readFileSync(userPath); readFileSync(['x'].join(''));
     createReadStream(join(BASE, 'g.bin'));`,
    { TABLE: `'table.txt'`, BASE: `'big'` },
  );
  assert.deepEqual(found.files, [
    { path: 'data.csv', base: 'cwd' },
    { path: 'b.txt', base: 'cwd' },
    { path: './c.json', base: 'module' },
    { path: './d/e.txt', base: 'module' },
    { path: './f.txt', base: 'module' },
    { path: 'table.txt', base: 'cwd' },
    { path: 'big/g.bin', base: 'cwd' },
  ]);
});

test("a module's directory as ES modules spelled it before import.meta.dirname, kept in a constant", () => {
  const found = reads(
    `readFileSync(path.join(HERE, 'a.json')); readFileSync(join(THERE, 'b.json')); ` +
        `readFileSync(resolve(dirname(import.meta.filename), 'c.json')); readFileSync(join(ELSEWHERE, 'd.json'));`,
    {
      HERE: 'path.dirname(url.fileURLToPath(import.meta.url))',
      THERE: 'dirname(FILE)',
      FILE: 'fileURLToPath(import.meta.url)',
      ELSEWHERE: 'dirname(process.argv[1])',
    },
  );
  assert.deepEqual(found.files, [
    { path: './a.json', base: 'module' },
    { path: './b.json', base: 'module' },
    { path: './c.json', base: 'module' },
  ]);
});

test('files opened to be written are output, not configuration', () => {
  const found = reads(
    `openSync('log.txt', 'a'); open('out.bin', 'w'); fs.openSync('rw.db', 'r+'); openSync('x.txt', mode); ` +
        `openSync('in.txt'); openSync('r.txt', 'r'); open('rs.txt', 'rs');`,
  );
  assert.deepEqual(found.files.map((f) => f.path), ['in.txt', 'r.txt', 'rs.txt']);
});

test("a FileHandle's methods take an encoding or options, not a path: the file is the one open read", () => {
  const found = reads(
    `const fh = await open('a.txt'); await fh.readFile('utf8'); fh.stat(); ` +
        `let h; h = await fsp.open('b.txt', 'r'); h.readFile('latin1'); (await open('c.txt')).readFile('hex'); ` +
        `other.readFile('d.txt');`,
  );
  assert.deepEqual(found.files.map((f) => f.path), ['a.txt', 'b.txt', 'c.txt', 'd.txt']);
});

test('file functions under other names read their files', () => {
  const code =
    `import { readFileSync as read } from 'node:fs'; import { readFile as readFileAsync } from 'node:fs/promises';
     read('a.txt'); readFileAsync('b.txt'); const { readFileSync: r, statSync } = fs; r('c.txt'); statSync('d.txt');
     other.read('e.txt'); const { join: j } = path; j('f.txt');`;
  const program = parseSync('m.js', code, { sourceType: 'module' }).program as unknown as AstNode;
  const found = configurationReads(program, () => undefined, processNames(program));
  assert.deepEqual(found.files.map((f) => f.path), ['a.txt', 'b.txt', 'c.txt', 'd.txt']);
});

test('a path that may come from either of two expressions reads each file it may name', () => {
  const found = reads(
    `function fit(fast) { const file = fast ? 'small.csv' : 'full.csv'; readFileSync(file); ` +
        `readFileSync(process.env.DATA ?? 'data.csv'); readFileSync(process.env.ROWS || join(DIR, 'rows.csv')); }`,
    { DIR: `'data'` },
  );
  assert.deepEqual(found.files.map((f) => f.path), ['small.csv', 'full.csv', 'data.csv', 'data/rows.csv']);
  assert.deepEqual(found.environment, ['DATA', 'ROWS']);
});

test('a file named by an environment variable or a word of the command line is read by the one each call names', () => {
  const code =
    `const DATA = process.env.DATA ?? 'data.csv';
     function fit() {
       readFileSync(process.env.CFG); readFileSync(join('data', process.env.NAME + '.csv')); readFileSync(DATA);
       readFileSync(process.argv[2]); readFileSync(new URL(process.env.URL, import.meta.url));
       readFileSync(process.env.FUNES_CACHE_DIR); readFileSync(process.argv[1]); readFileSync(join('runs', run));
     }`;
  const program = parseSync('m.js', code, { sourceType: 'module' }).program as unknown as AstNode;
  const context = codeCommandLine(program);
  const found = configurationReads(
    program,
    (name) => {
      const declarations = (program.body as AstNode[]).filter((s) => s.type === 'VariableDeclaration');
      const declarators = declarations.flatMap((d) => d.declarations as AstNode[]);
      return declarators.find((d) => (d.id as AstNode).name === name)?.init as AstNode | undefined;
    },
    processNames(program),
    (node) => commandLineArgument(node, context),
  );
  assert.deepEqual(found.files.map((f) => f.path), ['data.csv', 'runs/*']);
  assert.deepEqual(
    found.configuredFiles.map(({ values, pieces, url }) => ({ values, pieces, ...(url && { url }) })),
    [
      { values: [{ kind: 'environment', name: 'CFG' }], pieces: ['', ''] },
      { values: [{ kind: 'environment', name: 'NAME' }], pieces: ['data/', '.csv'] },
      { values: [{ kind: 'environment', name: 'DATA' }], pieces: ['', ''] },
      { values: [{ kind: 'arguments', argument: { index: 2 } }], pieces: ['', ''] },
      { values: [{ kind: 'environment', name: 'URL' }], pieces: ['', ''], url: true },
    ],
  );
});

test('a path in a variable of the code given another value reads each file it may name', () => {
  const found = reads(
    `function fit(fast) {
       let path = 'a.csv'; if (fast) path = 'b.csv'; readFileSync(path);
       let late; late = 'c.csv'; readFileSync(late);
       let grown = 'd.csv'; grown += '.bak'; readFileSync(grown);
       for (let item of ['e.csv']) { item = 'f.csv'; readFileSync(item); }
     }`,
  );
  // `grown` is either of its values: made from its earlier value, the assigned one holds that in its place.
  assert.deepEqual(found.files.map((f) => f.path), ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'd.csv.bak']);
  const built = reads(`function fit(full) { let p = 'data/a.txt'; if (full) p = p + '.big'; return readFileSync(p); }`);
  assert.deepEqual(built.files.map((f) => f.path), ['data/a.txt', 'data/a.txt.big']);
  // A choice inside the path is taken each way.
  const inside = reads(
    `function fit(fast) {
       readFileSync(resolve(fast ? 'a.csv' : 'b.csv')); readFileSync(join('data', fast || 'c.csv'));
     }`,
  );
  assert.deepEqual(inside.files.map((f) => f.path), ['a.csv', 'b.csv', 'data/c.csv']);
});

test("Funes' own settings are not configuration of the code", () => {
  const found = reads(
    `process.env.FUNES_SHARD; process.env['FUNES_CACHE_DIR']; const { FUNES_LOCK, SEED } = process.env;`,
  );
  assert.deepEqual(found.environment, ['SEED']);
});

test('code whose text names no environment or file function reads nothing, and is told apart by its text', () => {
  const readers = [
    `process.env.A`,
    `const { D } = process.env`,
    `readFileSync('x')`,
    `fs.promises.readFile(p)`,
    `statSync(p)`,
    String.raw`process.e\u006ev.A`,
  ];
  for (const code of readers) assert.ok(mayReadConfiguration(code), code);
  // An identifier spelled with an escape is the same identifier.
  assert.deepEqual(reads(String.raw`process.e\u006ev.A`).environment, ['A']);
  const plain = 'function f(x) { const y = { a: x }; return y.a * 2; }';
  assert.equal(mayReadConfiguration(plain), false);
  assert.deepEqual(reads(plain), {
    environment: [],
    computedEnvironment: false,
    files: [],
    configuredFiles: [],
    parameterReads: [],
    unfollowedPaths: [],
    untracedPaths: [],
  });
});

test('scripts handed to a worker or a child process, as words that count only if they name a file', () => {
  const found = reads(
    `new Worker(new URL('./worker.mjs', import.meta.url)); fork('./child.js', ['--x']); ` +
        `spawnSync(process.execPath, ['train.mjs', '--lr', String(lr)]); execFile('./run.sh'); ` +
        `execSync('python3 fit.py  --fast'); spawn(command, args); new Map(['a.txt']);`,
  );
  assert.deepEqual(found.files, [
    { path: './worker.mjs', base: 'module', launched: true },
    { path: './child.js', base: 'cwd', launched: true },
    { path: 'train.mjs', base: 'cwd', launched: true },
    { path: '--lr', base: 'cwd', launched: true },
    { path: './run.sh', base: 'cwd', launched: true },
    { path: 'python3', base: 'cwd', launched: true },
    { path: 'fit.py', base: 'cwd', launched: true },
    { path: '--fast', base: 'cwd', launched: true },
  ]);
  assert.ok(mayReadConfiguration(`execFileSync('python3', ['a.py'])`));
  assert.ok(mayReadConfiguration(`new Worker('./w.js')`));
});

test("a name or path a function's parameter gives is read once the caller's text is known", () => {
  const found = reads(
    `function getEnv(name, fallback) { return process.env[name] ?? fallback; }
     const load = (file) => readFileSync(join(DATA, file), 'utf8');
     function open(url) { return readFileSync(url); }
     function both(a, b) { return process.env[a + b]; }
     function prefixed(name) { name = 'APP_' + name; return process.env[name]; }
     list.forEach((each) => process.env[each]);`,
    { DATA: `'data'` },
  );
  assert.deepEqual(
    found.parameterReads.map((read) => [read.kind, read.position, read.whole, read.read('x.csv')]),
    [
      ['environment', 0, true, 'x.csv'],
      ['file', 0, false, { path: 'data/x.csv', base: 'cwd' }],
      ['file', 0, true, { path: 'x.csv', base: 'cwd' }],
      ['environment', 0, true, 'x.csv'],
    ],
  );
  // Made of two parameters, or of one the function changes, a name is not known from the caller's.
  assert.equal(found.computedEnvironment, true);
});

test("a name or path held in the code's own variable reads as each value it is given", () => {
  const found = reads(
    `function fit(x) { const path = join(DATA, 'rows.csv'); const key = 'SCALE'; const alias = path;
       return [readFileSync(alias), process.env[key]]; }
     function reassigned() { let p = 'a.txt'; p = 'b.txt'; const q = 'c.txt'; return readFileSync(p); }
     function inner() { const c = () => { const q = 'd.txt'; }; return readFileSync(q); }`,
    { DATA: `'data'`, q: `'module.txt'` },
  );
  assert.deepEqual(found.files, [
    { path: 'data/rows.csv', base: 'cwd' },
    { path: 'a.txt', base: 'cwd' },
    { path: 'b.txt', base: 'cwd' },
    { path: 'module.txt', base: 'cwd' },
  ]);
  assert.deepEqual(found.environment, ['SCALE']);
  // A parameter of the code is not the module's constant of that name.
  assert.deepEqual(reads(`function shadowed(DATA) { return readFileSync(DATA); }`, { DATA: `'data'` }).files, []);
  // By a parameter, read by each call's own; changed by the function first, every file the path can name.
  const byParameter = (code: string) =>
    reads(code, { DATA: `'data'` }).parameterReads.map((read) => [read.template?.pieces, read.pattern?.path]);
  const load = `function load(name) { const file = join(DATA, name + '.csv'); readFileSync(file); }`;
  assert.deepEqual(byParameter(load), [[['data/', '.csv'], 'data/*']]);
  // Assigned again from itself, it is each value it may hold: as the caller gave it, or with `.csv`.
  const changed = `function load(name) { name += '.csv'; const file = join(DATA, name); readFileSync(file); }`;
  assert.deepEqual(byParameter(changed), [[['data/', ''], 'data/*'], [['data/', '.csv'], 'data/*']]);
  assert.deepEqual(reads(changed, { DATA: `'data'` }).files, []);
});

test('a parameter the function assigns again is read as each value it may hold, made from what the caller gave', () => {
  const byParameter = (code: string) =>
    reads(code, { DATA: `'data'` }).parameterReads.map((read) => [read.parameter, read.template?.pieces]);
  assert.deepEqual(
    byParameter(`function f(name) { name = join(DATA, name + '.txt'); return readFileSync(name); }`),
    [['name', ['', '']], ['name', ['data/', '.txt']]],
  );
  assert.deepEqual(byParameter(`function f(file) { file = resolve(file); return readFileSync(file); }`), [
    ['file', ['', '']],
    ['file', ['', '']],
  ]);
  assert.deepEqual(
    byParameter(`function f(name) { if (name.length < 3) name = 'data/' + name; return readFileSync(name); }`),
    [['name', ['', '']], ['name', ['data/', '']]],
  );
  // Twice from itself: each value the first assignment left.
  assert.deepEqual(
    byParameter(`function f(name) { name = name + '.csv'; name = join(DATA, name); return readFileSync(name); }`),
    [['name', ['', '']], ['name', ['', '.csv']], ['name', ['data/', '']], ['name', ['data/', '.csv']]],
  );
  assert.deepEqual(
    byParameter(`function f({ data }) { data = join(DATA, data); return readFileSync(data); }`),
    [['data', ['', '']], ['data', ['data/', '']]],
  );
  // Assigned from itself in a loop, or by `++`, the file it names is not known: said, not silently missed.
  for (const code of [
    `function f(file) { for (const x of xs) file = file + x; return readFileSync(file); }`,
    `function f(file) { file++; return readFileSync(file); }`,
  ]) {
    const found = reads(code);
    assert.deepEqual([found.parameterReads, found.files, found.unfollowedPaths], [[], [], ['file']], code);
  }
});

test("a parameter's text makes a read's name or path with the rest known: its place, also as a property", () => {
  const found = reads(
    `function plus(name) { return readFileSync('data/' + name + '.csv'); }
     function url(name) { return readFileSync(new URL(name, import.meta.url)); }
     function fit(cfg) { return readFileSync(join(DATA, cfg.paths.data)); }
     function run({ split, rows: { file } }) { return readFileSync(\`\${file}.csv\`); }
     function env(key) { return [0].map(() => process.env[\`APP_\${key}\`]); }
     function changed(cfg) { cfg.data = 'x'; return readFileSync(cfg.data); }
     function called(cfg) { return readFileSync(cfg.data.resolve()); }
     function whole(cfg) { use(cfg); return readFileSync(cfg.data); }
     function trimmed(cfg) { return readFileSync(cfg.data.trim()); }`,
    { DATA: `'data'` },
  );
  assert.deepEqual(
    found.parameterReads.map((read) => [read.parameter, read.position, read.property, read.template]),
    [
      ['name', 0, [], { pieces: ['data/', '.csv'], base: 'cwd' }],
      ['name', 0, [], { pieces: ['', ''], base: 'module', url: true }],
      ['cfg.paths.data', 0, ['paths', 'data'], { pieces: ['data/', ''], base: 'cwd' }],
      ['file', 0, ['rows', 'file'], { pieces: ['', '.csv'], base: 'cwd' }],
      ['key', 0, [], { pieces: ['APP_', ''] }],
      ['cfg.data', 0, ['data'], { pieces: ['', ''], base: 'cwd', transform: [{ method: 'trim', args: [] }] }],
    ],
    'a property the function may change (assigned, a method called on it, the object handed on) is not the text; ' +
      'a string method whose value depends on the text alone puts the text through it',
  );
});

test('a path or a name held in a constant object, or resolved relative to the module', () => {
  const found = reads(
    `readFileSync(PATHS.rows); readFileSync(CONFIG.paths.notes); process.env[NAMES.scale]; ` +
        `readFileSync(require.resolve('./cfg.json')); readFileSync(fileURLToPath(import.meta.resolve('../x.txt'))); ` +
        `readFileSync(require.resolve('pkg/data.json')); readFileSync(GETTERS.rows);`,
    {
      PATHS: `{ rows: 'rows.csv' }`,
      CONFIG: `{ paths: { notes: 'notes.txt' } }`,
      NAMES: `{ scale: 'SCALE' }`,
      GETTERS: `{ get rows() { return 'rows.csv'; } }`,
    },
  );
  assert.deepEqual(found.files, [
    { path: 'rows.csv', base: 'cwd' },
    { path: 'notes.txt', base: 'cwd' },
    { path: './cfg.json', base: 'module' },
    { path: '../x.txt', base: 'module' },
  ]);
  assert.deepEqual(found.environment, ['SCALE']);
});

test('a URL relative to the module turned into a path, in place or in a constant, read or run in a worker', () => {
  const found = reads(
    `readFileSync(fileURLToPath(new URL('./a.json', import.meta.url))); readFileSync(url.fileURLToPath(B)); ` +
        `readFileSync(C); new Worker(fileURLToPath(new URL('./work.mjs', import.meta.url))); ` +
        `readFileSync(fileURLToPath('file:///etc/hosts'));`,
    { B: `new URL('b.json', import.meta.url)`, C: `fileURLToPath(new URL('../c.json', import.meta.url))` },
  );
  assert.deepEqual(found.files, [
    { path: './a.json', base: 'module' },
    { path: 'b.json', base: 'module' },
    { path: '../c.json', base: 'module' },
    { path: './work.mjs', base: 'module', launched: true },
  ]);
});

test('a path with parts computed at run time reads every file it can name, when some of it is known', () => {
  const found = reads(
    "readFileSync(join('data', name)); readFileSync(`runs/r${id}.json`); readFileSync(DIR + '/' + name + '.csv'); " +
      "readFileSync(join(__dirname, '..', 'data', split, 'rows.csv')); readFileSync(name); " +
      'readFileSync(`${name}.txt`);',
    { DIR: `'tables'` },
  );
  assert.deepEqual(found.files, [
    { path: 'data/*', base: 'cwd', pattern: true },
    { path: 'runs/r*.json', base: 'cwd', pattern: true },
    { path: 'tables/*.csv', base: 'cwd', pattern: true },
    { path: './../data/*/rows.csv', base: 'module', pattern: true },
  ]);
});

test('environment variables destructured from process itself', () => {
  const code = `const { env: { A, B: b = '1' }, argv } = process; const { env: { C } = {} } = globalThis.process;`;
  const program = parseSync('m.js', code, { sourceType: 'module' }).program as unknown as AstNode;
  assert.deepEqual(configurationReads(program, () => undefined, processNames(program)).environment, ['A', 'B', 'C']);
});
