/**
 * Topic diversity (Dieng et al. 2020, as OCTIS's TopicDiversity): the share of unique words among all
 * topics' top-n words, unique / (n × topics). 1 means no topic repeats another's words; lists shorter
 * than n still count as n, so a topic with few words lowers the score.
 */
export function topicDiversity(topics: readonly (readonly string[])[], topN = 10): number {
  if (!Number.isInteger(topN) || topN < 1)
    throw new RangeError(`topN must be a positive integer, got ${topN}`);
  if (topics.length === 0) return Number.NaN;
  const unique = new Set<string>();
  for (const topic of topics) for (const word of topic.slice(0, topN)) unique.add(word);
  return unique.size / (topN * topics.length);
}
