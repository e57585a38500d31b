/** `topicscope cache info|clear`: where the embedding cache lives, what it holds, and emptying it. */
import type { Command } from "commander";
import { cacheInfo, clearCache, defaultCacheDir, listHubModels } from "../embed/index.js";
import { action } from "./command.js";

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function register(program: Command): void {
  const cache = program
    .command("cache")
    .description(
      "show or clear the embedding cache ($TOPICSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/topicscope)",
    );
  cache
    .command("info")
    .description("location, size and models of the embedding cache")
    .option("--cache-dir <dir>", "cache folder (default: the platform location)")
    .option("--json", "print JSON instead of text", false)
    .action(
      action((flags: { cacheDir?: string; json: boolean }) => {
        const root = flags.cacheDir ?? defaultCacheDir();
        const info = cacheInfo(root);
        const downloaded = listHubModels(root);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...info, downloadedModels: downloaded }, null, 2)}\n`);
          return;
        }
        const lines = [`location: ${info.location}`, `size: ${formatBytes(info.bytes)}`];
        if (info.models.length === 0) lines.push("no cached embeddings");
        for (const model of info.models) {
          lines.push(
            `  ${model.id}: ${model.vectors} vectors × ${model.dimension}, ${model.chunks} chunks${model.readings ? `, ${model.readings} text readings` : ""}, ${formatBytes(model.bytes)}`,
          );
        }
        if (downloaded.length > 0) lines.push("downloaded models (kept by cache clear):");
        for (const model of downloaded)
          lines.push(`  ${model.id}: ${formatBytes(model.bytes)} in ${model.folder}`);
        process.stdout.write(`${lines.join("\n")}\n`);
      }),
    );
  cache
    .command("clear")
    .description("delete every cached embedding (downloaded models stay in <cache>/models)")
    .option("--cache-dir <dir>", "cache folder (default: the platform location)")
    .action(
      action((flags: { cacheDir?: string }) => {
        const root = flags.cacheDir ?? defaultCacheDir();
        const freed = clearCache(root);
        process.stdout.write(`cleared ${root} (${formatBytes(freed)} freed)\n`);
      }),
    );
}
