// Context recall oracle for JS/TS: the workspace definitions the TypeScript language
// service resolves from every identifier used in a line range of a file.
//
// usage: node ts_oracle.cjs TYPESCRIPT_DIR ROOT < requests.json > answers.json
//   requests: [{"path": "src/routes/items.ts", "first": 10, "last": 14}, ...]
//   answers:  [[["src/services/items.ts", 12], ...], ...] (relative path, 1-based line)
// A definition inside the range itself, in node_modules or in TypeScript's lib files is
// left out; so is a module (an import's specifier stands for its members).
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require(path.resolve(process.argv[2], 'lib', 'typescript.js'));
const root = path.resolve(process.argv[3]);

function sources(dir, found) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, found);
    else if (/\.(m|c)?(t|j)sx?$/.test(entry.name)) found.push(full);
  }
  return found;
}

// The project that owns a file, as tsserver (5.6) finds it: the nearest tsconfig.json if
// its file list holds the file, else a project it references (a solution config), else
// the same one directory up; with no owner, the nearest config's options (as before).
const parsedConfigs = new Map();
function parse(config) {
  if (!parsedConfigs.has(config)) {
    const read = ts.readConfigFile(config, ts.sys.readFile);
    parsedConfigs.set(
      config,
      ts.parseJsonConfigFileContent(read.config || {}, ts.sys, path.dirname(config), undefined, config),
    );
  }
  return parsedConfigs.get(config);
}

function owner(config, file, seen) {
  if (seen.has(config) || !fs.existsSync(config)) return undefined;
  seen.add(config);
  const parsed = parse(config);
  if (parsed.fileNames.some((f) => path.resolve(f) === file)) return config;
  for (const reference of parsed.projectReferences || []) {
    const found = owner(ts.resolveProjectReferencePath(reference), file, seen);
    if (found) return found;
  }
  return undefined;
}

function configFor(file) {
  let dir = path.dirname(file);
  const nearest = ts.findConfigFile(dir, ts.sys.fileExists);
  while (true) {
    const config = ts.findConfigFile(dir, ts.sys.fileExists);
    if (!config || !config.startsWith(root)) break;
    const found = owner(config, file, new Set());
    if (found) return found;
    dir = path.dirname(path.dirname(config));
  }
  return nearest && nearest.startsWith(root) ? nearest : undefined;
}

const files = sources(root, []);
const versions = new Map(files.map((f) => [f, '1']));
const services = new Map(); // config -> language service

function service(file) {
  const config = configFor(file);
  const key = config || '';
  if (!services.has(key)) {
    const parsed = config ? parse(config) : undefined;
    const base = { allowJs: true, checkJs: false, noEmit: true, esModuleInterop: true };
    const options = parsed ? Object.assign({}, parsed.options, { allowJs: true, noEmit: true }) : base;
    const host = {
      getScriptFileNames: () => files,
      getScriptVersion: (f) => versions.get(f) || '1',
      getScriptSnapshot: (f) =>
        fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined,
      getCurrentDirectory: () => root,
      getCompilationSettings: () => options,
      // project references: imports of a referenced project's output mean its sources
      getProjectReferences: () => (parsed ? parsed.projectReferences : undefined),
      useSourceOfProjectReferenceRedirect: () => true,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    };
    services.set(key, ts.createLanguageService(host, ts.createDocumentRegistry()));
  }
  return services.get(key);
}

function answer(request) {
  const file = path.resolve(root, request.path);
  const language = service(file);
  const program = language.getProgram();
  const source = program.getSourceFile(file);
  const found = new Map();
  if (!source) return [];
  const visit = (node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const end = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
    if (end < request.first || line > request.last) return;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      for (const d of language.getDefinitionAtPosition(file, node.getStart(source)) || []) {
        // a module, or an import binding TypeScript could not follow (a package not installed)
        if (d.kind === 'module' || d.kind === 'script' || d.kind === 'alias') continue;
        const target = path.resolve(d.fileName);
        if (!target.startsWith(root + path.sep) || target.includes(`${path.sep}node_modules${path.sep}`)) continue;
        const targetSource = program.getSourceFile(target);
        if (!targetSource) continue;
        const at = targetSource.getLineAndCharacterOfPosition(d.textSpan.start).line + 1;
        if (target === file && at >= request.first && at <= request.last) continue;
        const rel = path.relative(root, target).split(path.sep).join('/');
        found.set(`${rel}:${at}`, [rel, at]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found.values()].sort();
}

const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(requests.map(answer)));
