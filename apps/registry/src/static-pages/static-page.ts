// A plain page (HTML, JS, CSS, no build step) served from apps/registry/public/<name>:
// files are found from the source (tests) or the build (dist/...), read once
// and kept, and only the listed files are ever served.
import { NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function pageDirectory(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10; i++) {
    const candidate = path.join(dir, 'apps', 'registry', 'public', name);
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`apps/registry/public/${name} not found`);
}

export class StaticPage {
  private readonly dir: string;
  private readonly files: ReadonlySet<string>;
  private readonly cache = new Map<string, Buffer>();

  constructor(name: string, files: string[]) {
    this.dir = pageDirectory(name);
    this.files = new Set(files);
  }

  sendIndex(response: FastifyReply): void {
    this.send(response, 'index.html');
  }

  /** An asset of the page; anything not listed (including index.html by name) is a 404. */
  sendAsset(response: FastifyReply, file: string): void {
    // A Set, not `in` on an object: "constructor" or "__proto__" must be a 404, not a 500.
    if (!this.files.has(file) || file === 'index.html') throw new NotFoundException();
    this.send(response, file);
  }

  private send(response: FastifyReply, file: string): void {
    let body = this.cache.get(file);
    if (!body) {
      body = fs.readFileSync(path.join(this.dir, file));
      this.cache.set(file, body);
    }
    response.status(200).header('Content-Type', CONTENT_TYPES[path.extname(file)]).send(body);
  }
}
