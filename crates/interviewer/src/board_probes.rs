//! What the interviewer asks from reading the whiteboard: a component on the request path with
//! no redundancy, something said but not drawn (or drawn but never explained), an LLM or
//! external call with no timeout/retry/fallback, and a write path with no queue at a stated
//! high load. Every probe names the component by its label, as the candidate wrote it.

use regex::Regex;
use rehearse_core::{
    normalize_for_match, BoardGraph, BoardNode, ComponentKind, DimensionId, Segment,
};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

/// A question the board raises.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardProbe {
    /// What gap this is about and on which component ("spof:<node id>"): asked once, even
    /// if the label is edited afterwards.
    pub key: String,
    pub text: String,
    pub target: DimensionId,
}

/// Requests per second from which a write path without a queue is worth asking about.
pub const HIGH_LOAD_PER_S: f64 = 1_000.0;

/// Speech before "you drew X but never said what it does" is fair.
const EXPLAIN_AFTER_SPEECH_S: f64 = 45.0;

fn re(pattern: &str) -> Option<Regex> {
    match Regex::new(pattern) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::error!(error = %e, pattern, "a board probe pattern does not compile");
            None
        }
    }
}

/// How a kind is said out loud, strictly (generic words like "service" or "API" would make
/// every transcript "mention" everything). Matched on normalised text.
static SPOKEN: LazyLock<Vec<(ComponentKind, Regex)>> = LazyLock::new(|| {
    [
        (ComponentKind::VectorStore, r"vector (?:store|database|db|index)s?|pgvector|pinecone|qdrant|weaviate|milvus|faiss"),
        (ComponentKind::Cache, r"cache|caches|caching|redis|memcached"),
        (ComponentKind::Queue, r"queue|queues|kafka|sqs|rabbitmq|pub sub|kinesis|message bus"),
        (ComponentKind::Reranker, r"reranker|re ranker|reranking|re ranking|cross encoder"),
        (ComponentKind::SearchIndex, r"elasticsearch|elastic search|opensearch|bm25|search index|keyword index|keyword search"),
        (ComponentKind::ObjectStorage, r"s3|object storage|object store|blob storage|blob store"),
        (ComponentKind::RelationalDb, r"postgres|postgresql|mysql|relational database|sql database"),
        (ComponentKind::DocumentStore, r"dynamodb|dynamo db|mongodb|mongo|cassandra|document store|document database|key value store"),
        (ComponentKind::Cdn, r"cdn|cloudfront"),
        (ComponentKind::LoadBalancer, r"load balancer|load balancers|load balancing"),
        (ComponentKind::ApiGateway, r"api gateway|gateway"),
        (ComponentKind::EmbeddingModel, r"embedding model|embedding models|embedding service|embedder"),
        (ComponentKind::Llm, r"llm|llms|language model|gpt|claude|llama"),
        (ComponentKind::Monitoring, r"monitoring|prometheus|grafana|dashboards?|alerting"),
        (ComponentKind::Worker, r"worker|workers|background job|background jobs"),
    ]
    .into_iter()
    .filter_map(|(kind, words)| Some((kind, re(&format!(r"\b(?:{words})\b"))?)))
    .collect()
});

static REDUNDANCY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:replicas?|replicated|replicate|replication|failover|fail over|standby|redundan\w*|multi az|multiple (?:zones|regions|instances|nodes)|high availability|highly available|cluster(?:ed)?|primary|secondary|read replicas?|two instances|several instances|autoscal\w*|horizontally)\b",
    )
});

/// What happens when a component is down, said about it: "if it's down the job just pauses",
/// "when Redis is unreachable we fail open". That answers the single-point-of-failure
/// question as well as a replica does.
static DOWN_HANDLED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:if|when|whenever|while)\b(?: \w+){0,4} (?:is |are |goes |go |gets |get )?(?:down|unavailable|unreachable|offline|fails|failing|dies|crashes|slow)\b",
    )
});
/// Labels of stores that only receive records (usage logs, audit trails, traces, metrics):
/// writes to them are not what a user's request waits on, so they are no single point of
/// failure of the request path.
static RECORD_SINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"\b(?:logs?|logging|audit|traces?|tracing|analytics|metrics|telemetry|usage)\b")
});
static RESILIENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:time ?outs?|timed out|deadlines?|retry|retries|retrying|back ?off|fallbacks?|fall back|falls back|circuit breakers?|degrade\w*|graceful\w*)\b",
    )
});

/// Words for outside calls in general: resilience said about them covers every call.
static CALLS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:calls?|requests?|providers?|models?|llms?|apis?|external|upstream|downstream|dependenc\w*|everything|every \w+)\b",
    )
});

/// "10,000 writes per second", "5k requests per second", "2 000 qps" after normalising
/// ("10,000" becomes "10 000").
static RATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(\d{1,3}(?: \d{3})+|\d+) ?(k|thousand|million|m)?\b(?: [a-z]+){0,2} (?:per second|a second|per sec|qps|rps|wps)\b",
    )
});

fn spoken(kind: ComponentKind, norm: &str) -> bool {
    SPOKEN.iter().any(|(k, re)| *k == kind && re.is_match(norm))
}

/// Words that say nothing about which component a label means.
const GENERIC: &[&str] = &[
    "the", "and", "for", "with", "service", "services", "server", "store", "storage", "api", "app",
    "db", "database", "layer", "node", "box", "system", "model", "main", "new", "our",
];

/// The distinctive words of a label, normalised ("Query service" -> ["query"]).
fn label_words(label: &str) -> Vec<String> {
    normalize_for_match(label)
        .split(' ')
        .filter(|w| w.len() >= 3 && !GENERIC.contains(w))
        .map(str::to_string)
        .collect()
}

/// What a probe calls a node: its label, else its kind.
fn name_of(node: &BoardNode) -> String {
    let label = node.label.trim();
    if label.is_empty() {
        format!("the {}", node.kind.display_name())
    } else {
        format!("\u{201c}{label}\u{201d}")
    }
}

/// A node as "vector store “pgvector”", or just its label when that already says what it is.
fn described(node: &BoardNode) -> String {
    let label = node.label.trim();
    let kind = node.kind.display_name();
    if label.is_empty() {
        return kind.to_string();
    }
    if node.kind == ComponentKind::Unknown
        || normalize_for_match(label).contains(&normalize_for_match(kind))
    {
        return format!("\u{201c}{label}\u{201d}");
    }
    format!("{kind} \u{201c}{label}\u{201d}")
}

fn capitalised(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

/// The highest request rate per second the candidate stated, if any.
pub fn stated_rate_per_s(norm_transcript: &str) -> Option<(f64, String)> {
    let rate = RATE.as_ref()?;
    rate.captures_iter(norm_transcript)
        .filter_map(|c| {
            let digits: String = c
                .get(1)?
                .as_str()
                .chars()
                .filter(|d| !d.is_whitespace())
                .collect();
            let base: f64 = digits.parse().ok()?;
            let factor = match c.get(2).map(|m| m.as_str()) {
                Some("k") | Some("thousand") => 1_000.0,
                Some("m") | Some("million") => 1_000_000.0,
                _ => 1.0,
            };
            Some((base * factor, c.get(0)?.as_str().to_string()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// A store that only receives records: labelled as a log, trace or metrics store, with no
/// arrow out of it.
fn is_record_sink(graph: &BoardGraph, node: &BoardNode) -> bool {
    RECORD_SINK
        .as_ref()
        .is_some_and(|r| r.is_match(&normalize_for_match(&node.label)))
        && !graph.edges.iter().any(|e| e.from == node.id && e.directed)
}

/// Neighbours along the direction of requests; undirected edges go both ways.
fn adjacency(graph: &BoardGraph) -> HashMap<&str, Vec<&str>> {
    let mut adj: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in &graph.edges {
        adj.entry(e.from.as_str()).or_default().push(e.to.as_str());
        if !e.directed {
            adj.entry(e.to.as_str()).or_default().push(e.from.as_str());
        }
    }
    adj
}

fn reachable<'a>(adj: &HashMap<&'a str, Vec<&'a str>>, starts: &[&'a str]) -> HashSet<&'a str> {
    let mut seen: HashSet<&str> = starts.iter().copied().collect();
    let mut queue: VecDeque<&str> = starts.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        for &m in adj.get(n).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(m) {
                queue.push_back(m);
            }
        }
    }
    seen
}

/// The nodes a user request passes through: everything reachable from a client or an entry
/// point (CDN, load balancer, gateway); without one drawn, every node something points to.
fn request_path(graph: &BoardGraph) -> HashSet<&str> {
    let adj = adjacency(graph);
    let entries: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| {
            matches!(
                n.kind,
                ComponentKind::Client
                    | ComponentKind::Cdn
                    | ComponentKind::LoadBalancer
                    | ComponentKind::ApiGateway
            )
        })
        .map(|n| n.id.as_str())
        .collect();
    if entries.is_empty() {
        return graph.edges.iter().map(|e| e.to.as_str()).collect();
    }
    reachable(&adj, &entries)
}

/// Every probe the board raises now, most important first. `segments` is the transcript so
/// far; the caller decides which (if any) to ask.
pub fn board_probes(graph: &BoardGraph, segments: &[Segment]) -> Vec<BoardProbe> {
    let mut out = Vec::new();
    if graph.nodes.is_empty() {
        return out;
    }
    let norm_segments: Vec<String> = segments
        .iter()
        .map(|s| normalize_for_match(&s.text))
        .collect();
    let transcript = format!(" {} ", norm_segments.join(" "));
    let norm_sentences: Vec<String> = segments
        .iter()
        .flat_map(|s| s.text.split(['.', '?', '!']))
        .map(normalize_for_match)
        .filter(|s| !s.trim().is_empty())
        .collect();
    let speech_s: f64 = segments.iter().map(|s| (s.t1 - s.t0).max(0.0)).sum();
    let mentions = |node: &BoardNode, text: &str| {
        let padded = format!(" {text} ");
        label_words(&node.label)
            .iter()
            .any(|w| padded.contains(&format!(" {w} ")))
            || spoken(node.kind, text)
    };

    // 1. A single instance on the request path.
    let path = request_path(graph);
    let mut by_kind: HashMap<ComponentKind, usize> = HashMap::new();
    for n in &graph.nodes {
        *by_kind.entry(n.kind).or_default() += 1;
    }
    let behind_lb: HashSet<&str> = graph
        .edges
        .iter()
        .filter(|e| {
            graph
                .node(&e.from)
                .is_some_and(|n| n.kind == ComponentKind::LoadBalancer)
        })
        .map(|e| e.to.as_str())
        .collect();
    let redundancy = REDUNDANCY.as_ref();
    let spof_rank = |k: ComponentKind| match k {
        ComponentKind::VectorStore => Some(0),
        ComponentKind::RelationalDb | ComponentKind::DocumentStore => Some(1),
        ComponentKind::SearchIndex | ComponentKind::ObjectStorage => Some(2),
        ComponentKind::Queue => Some(3),
        ComponentKind::Service | ComponentKind::EmbeddingModel | ComponentKind::Reranker => Some(4),
        _ => None,
    };
    let mut spofs: Vec<(usize, &BoardNode)> = graph
        .nodes
        .iter()
        .filter(|n| path.contains(n.id.as_str()))
        .filter_map(|n| Some((spof_rank(n.kind)?, n)))
        .filter(|(_, n)| by_kind.get(&n.kind).copied().unwrap_or(0) == 1)
        .filter(|(_, n)| !behind_lb.contains(n.id.as_str()))
        .filter(|(_, n)| !is_record_sink(graph, n))
        .filter(|(_, n)| {
            let drawn = redundancy.is_some_and(|r| r.is_match(&normalize_for_match(&n.label)));
            // Its failure is answered when a sentence about it (or the one after a sentence
            // that names it: "The embedder is where the rate limit bites. On a 429 we back
            // off") says a replica, a retry or fallback, or what happens while it is down.
            let said = norm_segments
                .iter()
                .any(|s| redundancy.is_some_and(|r| r.is_match(s)) && mentions(n, s))
                || norm_sentences.iter().enumerate().any(|(i, s)| {
                    let about_it = mentions(n, s)
                        || i.checked_sub(1)
                            .and_then(|j| norm_sentences.get(j))
                            .is_some_and(|before| mentions(n, before));
                    about_it
                        && [&*DOWN_HANDLED, &*RESILIENCE, &*REDUNDANCY]
                            .iter()
                            .any(|r| r.as_ref().is_some_and(|r| r.is_match(s)))
                });
            !drawn && !said
        })
        .collect();
    spofs.sort_by_key(|(rank, _)| *rank);
    for (_, n) in spofs {
        out.push(BoardProbe {
            key: format!("spof:{}", n.id),
            text: format!(
                "Your {} is a single node on the request path: what happens when it's down?",
                described(n)
            ),
            target: DimensionId::Reliability,
        });
    }

    // 2. An LLM or external call with no timeout, retry or fallback said about it: in a
    // sentence that names it or calls in general ("a five second statement timeout" on the
    // database says nothing about the model call).
    let said_sentences: Vec<String> = segments
        .iter()
        .flat_map(|s| s.text.split(['.', '?', '!']))
        .map(normalize_for_match)
        .filter(|s| RESILIENCE.as_ref().is_some_and(|r| r.is_match(s)))
        .collect();
    let resilient = |n: &BoardNode| {
        said_sentences
            .iter()
            .any(|s| mentions(n, s) || CALLS.as_ref().is_some_and(|r| r.is_match(s)))
    };
    {
        for n in graph
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, ComponentKind::Llm | ComponentKind::ExternalApi))
            .filter(|n| !resilient(n))
        {
            out.push(BoardProbe {
                key: format!("timeout:{}", n.id),
                text: format!(
                    "What happens when {} is slow or fails: what's your timeout, do you retry, and what's the fallback?",
                    name_of(n)
                ),
                target: DimensionId::Reliability,
            });
        }
    }

    // 3. A write path with no queue at a stated high load.
    if let Some((rate, said)) =
        stated_rate_per_s(&transcript).filter(|(r, _)| *r >= HIGH_LOAD_PER_S)
    {
        let adj = adjacency(graph);
        let queues: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.kind == ComponentKind::Queue)
            .map(|n| n.id.as_str())
            .collect();
        let behind_queue = reachable(&adj, &queues);
        let write = graph.edges.iter().find_map(|e| {
            let (from, to) = (graph.node(&e.from)?, graph.node(&e.to)?);
            let store = to.kind.is_data_store() && to.kind != ComponentKind::Cache;
            let writer = matches!(
                from.kind,
                ComponentKind::Service
                    | ComponentKind::ApiGateway
                    | ComponentKind::LoadBalancer
                    | ComponentKind::Client
                    | ComponentKind::Unknown
            );
            (store && writer && !behind_queue.contains(to.id.as_str())).then_some((from, to))
        });
        if let Some((from, to)) = write {
            tracing::debug!(rate, said = %said, "high load with a direct write path");
            out.push(BoardProbe {
                key: format!("write-queue:{}", to.id),
                text: format!(
                    "You said {said}, and {} writes straight into {}: what happens at peak? Would you put a queue in front of it?",
                    name_of(from),
                    name_of(to)
                ),
                target: DimensionId::Architecture,
            });
        }
    }

    // 4. Said but not drawn. Load balancers, CDNs and monitoring are plumbing many people
    // leave off a board on purpose; their absence is no question about the design.
    if graph.nodes.len() >= 2 {
        for (kind, re) in SPOKEN.iter().filter(|(kind, _)| {
            !matches!(
                kind,
                ComponentKind::LoadBalancer | ComponentKind::Cdn | ComponentKind::Monitoring
            )
        }) {
            let drawn = graph.nodes.iter().any(|n| {
                n.kind == *kind
                    || (n.kind == ComponentKind::Unknown
                        && spoken(*kind, &normalize_for_match(&n.label)))
            });
            if !drawn && re.is_match(&transcript) {
                out.push(BoardProbe {
                    key: format!("undrawn:{}", kind.as_str()),
                    text: format!(
                        "You mentioned a {} but it isn't on the board: where does it sit, and what talks to it?",
                        kind.display_name()
                    ),
                    target: DimensionId::Architecture,
                });
            }
        }
    }

    // 5. Drawn but never explained: the most connected such component first.
    if speech_s >= EXPLAIN_AFTER_SPEECH_S {
        let degree = |id: &str| {
            graph
                .edges
                .iter()
                .filter(|e| e.from == id || e.to == id)
                .count()
        };
        let mut silent: Vec<&BoardNode> = graph
            .nodes
            .iter()
            .filter(|n| !n.label.trim().is_empty())
            .filter(|n| !mentions(n, &transcript))
            .collect();
        silent.sort_by_key(|n| std::cmp::Reverse(degree(&n.id)));
        for n in silent {
            out.push(BoardProbe {
                key: format!("unexplained:{}", n.id),
                text: capitalised(format!(
                    "{} is on your board but you haven't talked about it: what does it do, and why is it there?",
                    name_of(n)
                )),
                target: DimensionId::Architecture,
            });
        }
    }
    out
}

/// The graph as structured text for the LLM interviewer, one line per node and edge, with
/// labels neutralised like the transcript (the caller fences it).
pub fn board_as_text(graph: &BoardGraph, neutralise: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let label_of = |id: &str| {
        graph
            .node(id)
            .map(|n| neutralise(&n.label))
            .unwrap_or_default()
    };
    out.push_str("components:\n");
    for n in &graph.nodes {
        out.push_str(&format!(
            "- [{}] {} (id {})\n",
            n.kind.as_str(),
            neutralise(&n.label),
            neutralise(&n.id)
        ));
    }
    out.push_str("arrows:\n");
    for e in &graph.edges {
        let arrow = if e.directed { "->" } else { "--" };
        let label = e
            .label
            .as_deref()
            .map(|l| format!(" : {}", neutralise(l)))
            .unwrap_or_default();
        out.push_str(&format!(
            "- {} {arrow} {}{label}\n",
            label_of(&e.from),
            label_of(&e.to)
        ));
    }
    if !graph.notes.is_empty() {
        out.push_str("notes:\n");
        for note in &graph.notes {
            out.push_str(&format!("- {}\n", neutralise(note)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_rates_are_read_with_their_multipliers() {
        let n = |s: &str| normalize_for_match(s);
        assert_eq!(
            stated_rate_per_s(&n("We expect 10,000 writes per second at peak.")).map(|r| r.0),
            Some(10_000.0)
        );
        assert_eq!(
            stated_rate_per_s(&n("about 5k requests per second")).map(|r| r.0),
            Some(5_000.0)
        );
        assert_eq!(
            stated_rate_per_s(&n("2 000 qps")).map(|r| r.0),
            Some(2_000.0)
        );
        assert_eq!(
            stated_rate_per_s(&n("50 queries per second")).map(|r| r.0),
            Some(50.0)
        );
        assert_eq!(stated_rate_per_s(&n("it takes 10 seconds")), None);
    }
}
