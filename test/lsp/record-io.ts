// Preloaded into the server under test (`node --require`): records every
// attempt to start a process or open a network connection, one JSON line per
// call, to the file named by LLAMAFACTORY_IO_LOG, and lets the call proceed.
// `import x = require()` patches the modules themselves, which every later
// require() (and the bundled server) sees.
import childProcess = require('node:child_process');
import dgram = require('node:dgram');
import dns = require('node:dns');
import { appendFileSync } from 'node:fs';
import http = require('node:http');
import https = require('node:https');
import http2 = require('node:http2');
import net = require('node:net');
import tls = require('node:tls');

const log = process.env.LLAMAFACTORY_IO_LOG;

function record(kind: string, args: unknown[]): void {
  if (!log) return;
  const first = args[0];
  appendFileSync(log, `${JSON.stringify({ kind, target: typeof first === 'string' ? first : typeof first === 'object' ? String(JSON.stringify(first)).slice(0, 200) : String(first) })}\n`);
}

function wrap(mod: object, names: string[], prefix: string): void {
  for (const name of names) {
    const m = mod as Record<string, unknown>;
    const original = m[name];
    if (typeof original !== 'function') continue;
    const replacement = function (this: unknown, ...args: unknown[]): unknown {
      record(`${prefix}.${name}`, args);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    m[name] = replacement;
  }
}

wrap(childProcess, ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
wrap(net, ['connect', 'createConnection'], 'net');
wrap(net.Socket.prototype, ['connect'], 'net.Socket');
wrap(tls, ['connect'], 'tls');
wrap(http, ['request', 'get'], 'http');
wrap(https, ['request', 'get'], 'https');
wrap(http2, ['connect'], 'http2');
wrap(dns, ['lookup', 'resolve', 'resolve4', 'resolve6'], 'dns');
wrap(dgram, ['createSocket'], 'dgram');
if (typeof globalThis.fetch === 'function') {
  const original = globalThis.fetch;
  globalThis.fetch = (...args: Parameters<typeof fetch>) => {
    record('fetch', args);
    return original(...args);
  };
}
