//! What a shape is, from the words written on it, and the component library.

use regex::Regex;
use rehearse_core::{ComponentInfo, ComponentKind, ALL_COMPONENT_KINDS};
use std::sync::LazyLock;

/// Keyword rules, most specific first: "Postgres + pgvector" is a vector store, "Redis queue"
/// a queue, "Kafka consumer" a worker, "LLM response cache" a cache.
const RULES: &[(ComponentKind, &str)] = &[
    (
        ComponentKind::Reranker,
        r"re-?rank\w*|cross[- ]encoder|colbert",
    ),
    (
        ComponentKind::EmbeddingModel,
        r"embed\w*|text-embedding\S*|bge\S*|e5-\S+|sentence[- ]transformers?|minilm\S*",
    ),
    (
        ComponentKind::VectorStore,
        r"vector\w*|pgvector|pinecone|weaviate|qdrant|milvus|faiss|chroma\w*|lancedb|ann index|hnsw",
    ),
    (
        ComponentKind::SearchIndex,
        r"search index|elastic\w*|opensearch|solr|bm25|lucene|typesense|meilisearch|algolia|inverted index|keyword index|full[- ]text",
    ),
    (
        ComponentKind::Cdn,
        r"cdn|cloudfront|akamai|fastly|cloudflare|edge cache",
    ),
    (
        ComponentKind::Worker,
        r"workers?|consumers?|cron\w*|batch jobs?|etl|celery|sidekiq|indexer|ingest\w*",
    ),
    (
        ComponentKind::Queue,
        r"queues?|kafka|sqs|sns|rabbit\w*|pub/?sub|kinesis|streams?|nats|pulsar|event bus|message bus|broker|topic",
    ),
    (
        ComponentKind::Cache,
        r"cache\w*|redis|memcached?|valkey|varnish",
    ),
    // A service named for what it fronts: "LLM gateway", "SQL agent", "agent loop".
    (
        ComponentKind::ApiGateway,
        r"(?:llm|ai|model) (?:gateway|router|proxy)",
    ),
    (ComponentKind::Service, r"agents?|planner"),
    (
        ComponentKind::Llm,
        r"llms?|gpt\S*|claude\S*|llama\S*|mistral\S*|mixtral\S*|gemini\S*|language model|openai|anthropic|vllm|generator|chat model",
    ),
    (
        ComponentKind::LoadBalancer,
        r"load[- ]?balanc\w*|lb|alb|elb|nlb|haproxy",
    ),
    (
        ComponentKind::ApiGateway,
        r"api[- ]gateway|gateway|kong|apigee|ingress|reverse proxy|nginx|envoy",
    ),
    (
        ComponentKind::ObjectStorage,
        r"s3|blob\w*|object stor\w*|buckets?|gcs|minio|file stor\w*",
    ),
    (
        ComponentKind::DocumentStore,
        r"mongo\w*|dynamo\w*|cassandra|couch\w*|firestore|document (?:store|db|database)|doc ?store|kv|key[- ]value\w*|bigtable|hbase|scylla\w*|nosql",
    ),
    (
        ComponentKind::RelationalDb,
        r"postgres\w*|pg|mysql|mariadb|sql\w*|rds|aurora|oracle|spanner|cockroach\w*|relational|rdbms|db|database\w*",
    ),
    (
        ComponentKind::Monitoring,
        r"monitor\w*|prometheus|grafana|datadog|metrics|logging|logs|tracing|traces|observability|alert\w*|sentry|otel|opentelemetry|langfuse|langsmith",
    ),
    (
        ComponentKind::ExternalApi,
        r"external\w*|third[- ]party|3rd[- ]party|stripe|twilio|tools?|webhooks?|partner api|saas|crm",
    ),
    (
        ComponentKind::Client,
        r"clients?|browsers?|users?|customers?|mobile|ios|android|frontend|front-end|web ?app|spa|ui|widget",
    ),
    (
        ComponentKind::Service,
        r"service\w*|server|backend|back-end|api|microservices?|orchestrator|app server|handler|lambda|function",
    ),
];

static COMPILED: LazyLock<Vec<(ComponentKind, Regex)>> = LazyLock::new(|| {
    RULES
        .iter()
        .filter_map(|(kind, words)| {
            // `\b` on both sides: "LB" must not match inside "album", "pg" inside "upgrade".
            match Regex::new(&format!(r"(?i)(?:^|[^\w])(?:{words})(?:$|[^\w])")) {
                Ok(re) => Some((*kind, re)),
                Err(e) => {
                    tracing::error!(error = %e, ?kind, "a component keyword rule does not compile");
                    None
                }
            }
        })
        .collect()
});

/// The kind a label names, by its words ("Postgres", "pgvector", "Redis", "Kafka", "S3",
/// "GPT-4", "LB", ...); `Unknown` when none is recognised.
pub fn kind_from_label(label: &str) -> ComponentKind {
    // Separators people use inside names count as spaces: "api_gateway", "vector-db".
    let words = label.replace(['_', '\n', '\t'], " ");
    COMPILED
        .iter()
        .find(|(_, re)| re.is_match(&words))
        .map_or(ComponentKind::Unknown, |(kind, _)| *kind)
}

/// Compiles the keyword rules now (the first board otherwise pays for it: ~0.1 s in a
/// release build, ~1 s in a debug one).
pub fn warm_up() {
    LazyLock::force(&COMPILED);
}

/// The component library, in the palette's order.
pub fn component_catalogue() -> Vec<ComponentInfo> {
    ALL_COMPONENT_KINDS
        .iter()
        .map(|&kind| {
            let (name, description) = describe(kind);
            ComponentInfo {
                kind,
                name: name.to_string(),
                description: description.to_string(),
            }
        })
        .collect()
}

fn describe(kind: ComponentKind) -> (&'static str, &'static str) {
    match kind {
        ComponentKind::Client => (
            "Client",
            "A browser, mobile app or other caller of the system.",
        ),
        ComponentKind::Cdn => ("CDN", "Serves static and cacheable content from the edge."),
        ComponentKind::LoadBalancer => (
            "Load balancer",
            "Spreads requests over several instances and routes around failed ones.",
        ),
        ComponentKind::ApiGateway => (
            "API gateway",
            "One entry point: authentication, rate limits, routing.",
        ),
        ComponentKind::Service => ("Service", "Stateless application logic serving requests."),
        ComponentKind::Worker => (
            "Worker",
            "Background processing off the request path (jobs, ingestion, indexing).",
        ),
        ComponentKind::Queue => (
            "Queue / stream",
            "Buffers work between producers and consumers (Kafka, SQS, RabbitMQ).",
        ),
        ComponentKind::Cache => ("Cache", "Keeps hot results close (Redis, Memcached)."),
        ComponentKind::RelationalDb => (
            "Relational DB",
            "Transactions and relations (Postgres, MySQL).",
        ),
        ComponentKind::DocumentStore => (
            "Document / KV store",
            "Schemaless documents or key-value pairs (DynamoDB, MongoDB).",
        ),
        ComponentKind::VectorStore => (
            "Vector store",
            "Nearest-neighbour search over embeddings (pgvector, Qdrant).",
        ),
        ComponentKind::ObjectStorage => ("Object storage", "Files and blobs (S3, GCS)."),
        ComponentKind::SearchIndex => (
            "Search index",
            "Keyword / full-text search (Elasticsearch, OpenSearch).",
        ),
        ComponentKind::Llm => (
            "LLM",
            "A large language model behind an API or self-hosted.",
        ),
        ComponentKind::EmbeddingModel => {
            ("Embedding model", "Turns text into vectors for retrieval.")
        }
        ComponentKind::Reranker => (
            "Reranker",
            "Re-orders retrieved candidates by relevance (cross-encoder).",
        ),
        ComponentKind::ExternalApi => (
            "Tool / external API",
            "A third-party or tool call the system depends on.",
        ),
        ComponentKind::Monitoring => ("Monitoring", "Metrics, logs, traces and alerts."),
        ComponentKind::Unknown => ("Component", "A shape whose label names no known component."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentKind::*;

    #[test]
    fn labels_name_their_kind() {
        let cases = [
            ("Postgres", RelationalDb),
            ("Postgres + pgvector", VectorStore),
            ("Redis", Cache),
            ("Redis queue", Queue),
            ("Kafka", Queue),
            ("Kafka consumer", Worker),
            ("S3 bucket", ObjectStorage),
            ("GPT-4o", Llm),
            ("LB", LoadBalancer),
            ("API Gateway", ApiGateway),
            ("Query service", Service),
            ("Ingestion worker", Worker),
            ("text-embedding-3-small", EmbeddingModel),
            ("Cohere Rerank", Reranker),
            ("Elasticsearch (BM25)", SearchIndex),
            ("CloudFront", Cdn),
            ("DynamoDB", DocumentStore),
            ("Web app", Client),
            ("Users", Client),
            ("Customer", Client),
            ("Chat widget", Client),
            ("Prometheus + Grafana", Monitoring),
            ("Stripe", ExternalApi),
            ("LLM gateway", ApiGateway),
            ("SQL agent", Service),
            ("Agent loop (planner)", Service),
            ("Langfuse traces", Monitoring),
            ("GPT-4o agent memory (Redis)", Cache),
            ("vector_db", VectorStore),
            ("Album art", Unknown),
            ("upgrade notes", Unknown),
            ("", Unknown),
        ];
        for (label, kind) in cases {
            assert_eq!(kind_from_label(label), kind, "{label:?}");
        }
    }

    #[test]
    fn the_catalogue_lists_the_eighteen_kinds_in_palette_order() {
        let c = component_catalogue();
        assert_eq!(c.len(), 18);
        assert_eq!(c[0].kind, Client);
        assert_eq!(c[17].kind, Monitoring);
        assert!(c
            .iter()
            .all(|i| !i.name.is_empty() && !i.description.is_empty()));
        // A component's own default name is typed as that component when free-drawn.
        for info in &c {
            assert_eq!(kind_from_label(&info.name), info.kind, "{}", info.name);
        }
    }
}
