/** `topicscope hierarchy <model dir>`: prints the topic tree and writes hierarchy.json (read by the report). */
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { LINKAGE_METHODS, type LinkageMethod } from "../cluster/linkage.js";
import { writeFileAtomic } from "../io/atomic.js";
import { VIEW_FILES } from "../topics/folder/format.js";
import { HIERARCHY_DISTANCES } from "../topics/views/model-views.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger } from "../util/log.js";
import { hierarchyChartData } from "../viz/from-model.js";
import { action, globalFlags } from "./command.js";
import { loadModel } from "./model-operation.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface HierarchyFlags {
  output?: string;
  linkage: LinkageMethod;
  distance: "ctfidf" | "embeddings";
  json: boolean;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("hierarchy")
    .description("a linkage tree over the topics, with the merged topics' words at every node")
    .argument("<model>", "model folder written by fit")
    .option(
      "-o, --output <file.json>",
      "where to write the tree (default: <model>/hierarchy.json, which the report draws)",
    )
    .addOption(new Option("--linkage <method>", "linkage").choices(LINKAGE_METHODS).default("ward"))
    .addOption(
      new Option("--distance <source>", "topic distances from")
        .choices(HIERARCHY_DISTANCES)
        .default("ctfidf"),
    )
    .option("--json", "print the JSON instead of the text tree", false);
  addForceOption(command).action(
    action(async (modelDir: string, flags: HierarchyFlags, cmd: Command) => {
      const logger = createLogger(globalFlags(cmd).quiet === true);
      const out = flags.output ?? join(modelDir, VIEW_FILES.hierarchy);
      checkFileOutput(out, {
        force: flags.force,
        owns: { folder: modelDir, entries: [VIEW_FILES.hierarchy] },
        logger,
      });
      const model = await loadModel(modelDir, logger);
      const tree = model.hierarchicalTopics({ method: flags.linkage, distance: flags.distance });
      const data = hierarchyChartData(tree, model.topics);
      const json = `${JSON.stringify(data, null, 2)}\n`;
      writeFileAtomic(out, json);
      process.stdout.write(
        flags.json ? json : escapeForTerminal(model.topicTree(tree), { newlines: true, tabs: true }),
      );
      logger.info(`wrote ${resolve(out)}`);
    }),
  );
}
