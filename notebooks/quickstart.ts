/**
 * A worked example, top to bottom: fit topics on State of the Union passages, look at them, shrink
 * them, search them, assign new text, save everything. Run it with
 *
 *   npx tsx notebooks/quickstart.ts [sample]
 *
 * or paste the cells into a TypeScript notebook (e.g. a Jupyter kernel such as tslab).
 */
import { loadDemoCorpus, saveModelWithReports, TopicModel } from "../src/index.js";

const sample = Number(process.argv[2] ?? 1500);

// 1. A corpus: paragraph-sized passages of SOTU addresses, labelled by party, timestamped by year.
const corpus = await loadDemoCorpus({ sample, seed: 7 });
console.log(`${corpus.documents.length} passages, e.g. ${corpus.documents[0].id}`);

// 2. Fit: embed once (cached), UMAP to 5-d, HDBSCAN, c-TF-IDF. Same seed, same topics.
const model = await new TopicModel({ seed: 7, cluster: { minClusterSize: 10 } }).fit(corpus.documents);
console.table(
  model
    .topicInfo()
    .slice(0, 10)
    .map((t) => ({ topic: t.topic, size: t.size, words: t.words.slice(0, 6).join(" ") })),
);

// 3. Fewer, broader topics: merge the most similar ones until 8 remain.
await model.reduceTopics(8);
console.log(`after reduceTopics(8): ${model.topics.filter((t) => t.id >= 0).length} topics`);

// 4. Semantic search over the stored embeddings: only the query is embedded.
for (const { topic, similarity } of await model.findTopics("taxes and the federal budget", 2)) {
  console.log(`topic ${topic} (${similarity.toFixed(2)}): ${model.topic(topic)?.label}`);
}
const [best] = await model.searchDocuments("our soldiers fighting overseas", 1);
console.log(`best passage: ${corpus.documents[best.index].text.slice(0, 120)}…`);

// 5. New documents go through the fitted reducer and HDBSCAN's approximate prediction.
const { topics } = await model.transform(["We must lower the cost of health insurance for every family."]);
console.log(`new passage → topic ${topics[0]} (${model.topic(topics[0])?.label ?? "outlier"})`);

// 6. Save: the model folder, with report.html, charts and CSV exports written next to it.
await saveModelWithReports(model, "output/quickstart", { force: true });
console.log("wrote output/quickstart/report.html");
await model.dispose();
