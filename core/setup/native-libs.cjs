// The shared libraries a packaged app's native modules load, on Linux. A `.node` file must lie outside app.asar
// (dlopen cannot read the archive), and so must every library it needs that a user's machine may not have:
// faiss-node built from source links the build machine's libgomp, libblas and liblapack (OpenBLAS, libgfortran,
// libquadmath behind them) with a RUNPATH of "/". `bundleLibraries` copies those next to the module and points its
// RUNPATH at $ORIGIN (electron-builder's afterPack runs it); `libraryProblems` is the check the packaging test
// makes. CommonJS: electron-builder loads hooks with require().
'use strict';
const { execFileSync } = require('node:child_process');
const { closeSync, copyFileSync, existsSync, openSync, readSync, readdirSync, realpathSync, statSync } = require('node:fs');
const path = require('node:path');

/**
 * Libraries every desktop Linux with glibc has (glibc itself, the GCC runtime, zlib): a module may use them from
 * the system. Anything else it needs must ship inside the package.
 */
const SYSTEM_LIBRARIES = [
  /^linux-vdso\.so\.\d+$/, /^ld-linux(-x86-64|-aarch64|-armhf)?\.so\.\d+$/,
  /^lib(c|m|dl|pthread|rt|resolv|util|anl)\.so\.\d+$/, /^libgcc_s\.so\.1$/, /^libstdc\+\+\.so\.6$/, /^libz\.so\.1$/,
];

function isSystemLibrary(name) {
  return SYSTEM_LIBRARIES.some((re) => re.test(name));
}

/** Every file under dir whose name says it is a native module or a shared library. */
function nativeFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && isNativeName(entry.name)) out.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** `.node` modules and shared libraries, including versioned ones like libvips-cpp.so.8.18.7. */
function isNativeName(name) {
  return /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(name);
}

/** Linux binaries start with the ELF magic; another platform's prebuilt (Mach-O, PE) does not. */
function isElf(file) {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

/** What `ldd` resolves each needed library of `file` to (`null`: not found). */
function resolvedLibraries(file) {
  const out = execFileSync('ldd', [file], { encoding: 'utf8' });
  const libs = new Map();
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+(not found|(\S+))/.exec(line);
    if (m) libs.set(m[1], m[2] === 'not found' ? null : m[3]);
    else {
      const direct = /^\s*(\/\S+)\s+\(0x/.exec(line);
      if (direct) libs.set(path.basename(direct[1]), direct[1]);
    }
  }
  return libs;
}

function inside(dir, file) {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Problems with the native modules under `unpackedDir` (app.asar.unpacked): a library not found, or one taken from
 * the build machine's system that a user's machine may lack. [] when every module will load on any glibc Linux.
 */
function libraryProblems(unpackedDir) {
  const problems = [];
  const root = realpathSync(unpackedDir);
  for (const file of nativeFiles(unpackedDir).filter((f) => f.endsWith('.node'))) {
    const rel = path.relative(unpackedDir, file);
    if (!isElf(file)) {
      problems.push(`${rel}: not a Linux binary (another platform's prebuilt is packaged)`);
      continue;
    }
    for (const [name, where] of resolvedLibraries(file)) {
      if (where === null) problems.push(`${rel}: ${name} not found`);
      else if (!isSystemLibrary(name) && !inside(root, realpathSync(where))) problems.push(`${rel}: ${name} comes from the build machine (${where})`);
    }
  }
  return problems;
}

/** The libraries a file names itself (ELF NEEDED entries), in order. */
function neededLibraries(file) {
  const out = execFileSync('readelf', ['-d', file], { encoding: 'utf8' });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
}

/**
 * The file to ship for library `name` found at `where`. Debian resolves libblas/liblapack through alternatives,
 * often to OpenBLAS (37 MB); FAISS calls BLAS only for batches of 20 queries or more, and the app searches one
 * question at a time, so the reference BLAS/LAPACK (7 MB together) is shipped when the machine has it.
 */
function shippedFile(name, where) {
  const real = realpathSync(where);
  if (/openblas/.test(real) && (name === 'libblas.so.3' || name === 'liblapack.so.3')) {
    const reference = path.join(path.dirname(path.dirname(real)), name === 'libblas.so.3' ? 'blas' : 'lapack', name);
    if (existsSync(reference)) return realpathSync(reference);
  }
  return real;
}

/**
 * Copies every library a module under `unpackedDir` takes from the build machine (not a system library) next to
 * that module, with what those libraries need in turn, and sets their RUNPATH to $ORIGIN with patchelf.
 * Returns the copies, relative to unpackedDir.
 */
function bundleLibraries(unpackedDir, log = () => {}) {
  const copied = [];
  const root = realpathSync(unpackedDir);
  const bundle = (file, dir) => {
    const found = resolvedLibraries(file);
    let changed = false;
    for (const name of neededLibraries(file)) {
      const where = found.get(name);
      if (isSystemLibrary(name) || existsSync(path.join(dir, name)) || (where && inside(root, realpathSync(where)))) continue;
      if (!where) throw new Error(`${path.relative(unpackedDir, file)} needs ${name}, which is not on this machine`);
      const target = path.join(dir, name);
      copyFileSync(shippedFile(name, where), target);
      copied.push(path.relative(unpackedDir, target));
      patchelf(['--set-rpath', '$ORIGIN', target]);
      bundle(target, dir);
      changed = true;
    }
    if (changed) patchelf(['--set-rpath', '$ORIGIN', file]);
  };
  for (const file of nativeFiles(unpackedDir).filter((f) => f.endsWith('.node') && isElf(f))) {
    const before = copied.length;
    bundle(file, path.dirname(file));
    if (copied.length > before) log(`bundled ${copied.slice(before).map((c) => path.basename(c)).join(', ')} with ${path.relative(unpackedDir, file)}`);
  }
  return copied;
}

function patchelf(args) {
  try {
    execFileSync('patchelf', args, { stdio: 'pipe' });
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error('patchelf is needed to package native modules on Linux: sudo apt-get install patchelf');
    throw err;
  }
}

/** Bytes under a folder (files only; symlinks not followed). */
function folderBytes(dir) {
  let total = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) total += statSync(full).size;
    }
  };
  walk(dir);
  return total;
}

module.exports = { SYSTEM_LIBRARIES, isSystemLibrary, isNativeName, isElf, nativeFiles, resolvedLibraries, neededLibraries, libraryProblems, bundleLibraries, folderBytes };
