/**
 * A stand-in for the Hugging Face hub on a loopback port, serving model folders the tests build, in
 * the hub's layout: `GET /<org>/<name>/resolve/<revision>/<file>` and the model API
 * `GET /api/models/<org>/<name>/revision/<revision>` (file list). Unknown repositories and files get a
 * 404 with the hub's X-Error-Code; private repositories need `Authorization: Bearer <token>` (401
 * otherwise); a file can be set to break off halfway (headers promise the whole file, the socket
 * closes after half of it), as a server dying mid-download does.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";

export interface HubRepo {
  /** The folder whose files the repository serves. */
  folder: string;
  /** Revisions served besides "main" (all serve the same folder). */
  revisions?: string[];
  /** Requires this bearer token. */
  token?: string;
  /** Files (repository paths) whose download breaks off halfway. */
  dieDuring?: string[];
}

export interface HubServer {
  endpoint: string;
  /** Every request path, in order, with the Authorization header it carried. */
  requests: Array<{ path: string; authorization?: string }>;
  close(): Promise<void>;
}

function listFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(folder, path).split("\\").join("/"));
    }
  };
  walk(folder);
  return out.sort();
}

export async function startHubServer(repos: Record<string, HubRepo>): Promise<HubServer> {
  const requests: HubServer["requests"] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    requests.push({ path, authorization: request.headers.authorization });
    const fail = (status: number, code?: string) => {
      response.writeHead(status, code ? { "X-Error-Code": code } : {});
      response.end(code ?? "");
    };
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/(.+)$/.exec(path);
    const file = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const id = api?.[1] ?? file?.[1];
    const repo = id === undefined ? undefined : repos[id];
    if (repo === undefined) return fail(404, "RepoNotFound");
    if (repo.token !== undefined && request.headers.authorization !== `Bearer ${repo.token}`)
      return fail(401);
    const revision = api?.[2] ?? file?.[2];
    if (revision !== "main" && !(repo.revisions ?? []).includes(revision ?? "")) {
      return fail(404, "RevisionNotFound");
    }
    if (api) {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({ id, siblings: listFiles(repo.folder).map((rfilename) => ({ rfilename })) }),
      );
      return;
    }
    const name = file![3];
    const available = listFiles(repo.folder);
    if (!available.includes(name)) return fail(404, "EntryNotFound");
    const body = readFileSync(join(repo.folder, name));
    response.writeHead(200, { "Content-Length": body.length, "Content-Type": "application/octet-stream" });
    if ((repo.dieDuring ?? []).includes(name)) {
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => request.socket.destroy(), 20);
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback address where nothing listens (a port taken and released again). */
export async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
