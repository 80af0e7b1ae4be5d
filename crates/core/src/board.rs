use serde::{Deserialize, Serialize};

/// What a box on the whiteboard is, as far as the interviewer cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Client,
    Cdn,
    LoadBalancer,
    ApiGateway,
    Service,
    Worker,
    Queue,
    Cache,
    RelationalDb,
    DocumentStore,
    VectorStore,
    ObjectStorage,
    SearchIndex,
    Llm,
    EmbeddingModel,
    Reranker,
    ExternalApi,
    Monitoring,
    /// A shape whose label says nothing we recognise.
    Unknown,
}

/// Every kind the component library offers, in the palette's order (`Unknown` is not one).
pub const ALL_COMPONENT_KINDS: [ComponentKind; 18] = [
    ComponentKind::Client,
    ComponentKind::Cdn,
    ComponentKind::LoadBalancer,
    ComponentKind::ApiGateway,
    ComponentKind::Service,
    ComponentKind::Worker,
    ComponentKind::Queue,
    ComponentKind::Cache,
    ComponentKind::RelationalDb,
    ComponentKind::DocumentStore,
    ComponentKind::VectorStore,
    ComponentKind::ObjectStorage,
    ComponentKind::SearchIndex,
    ComponentKind::Llm,
    ComponentKind::EmbeddingModel,
    ComponentKind::Reranker,
    ComponentKind::ExternalApi,
    ComponentKind::Monitoring,
];

impl ComponentKind {
    /// The serde name (`"vector_store"`), as stored in a shape's `customData.rehearseType`.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Client => "client",
            ComponentKind::Cdn => "cdn",
            ComponentKind::LoadBalancer => "load_balancer",
            ComponentKind::ApiGateway => "api_gateway",
            ComponentKind::Service => "service",
            ComponentKind::Worker => "worker",
            ComponentKind::Queue => "queue",
            ComponentKind::Cache => "cache",
            ComponentKind::RelationalDb => "relational_db",
            ComponentKind::DocumentStore => "document_store",
            ComponentKind::VectorStore => "vector_store",
            ComponentKind::ObjectStorage => "object_storage",
            ComponentKind::SearchIndex => "search_index",
            ComponentKind::Llm => "llm",
            ComponentKind::EmbeddingModel => "embedding_model",
            ComponentKind::Reranker => "reranker",
            ComponentKind::ExternalApi => "external_api",
            ComponentKind::Monitoring => "monitoring",
            ComponentKind::Unknown => "unknown",
        }
    }

    /// Parses the serde name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<Self> {
        ALL_COMPONENT_KINDS
            .iter()
            .copied()
            .chain([ComponentKind::Unknown])
            .find(|k| k.as_str() == name)
    }

    /// How a person says it ("vector store").
    pub fn display_name(self) -> &'static str {
        match self {
            ComponentKind::Client => "client",
            ComponentKind::Cdn => "CDN",
            ComponentKind::LoadBalancer => "load balancer",
            ComponentKind::ApiGateway => "API gateway",
            ComponentKind::Service => "service",
            ComponentKind::Worker => "worker",
            ComponentKind::Queue => "queue",
            ComponentKind::Cache => "cache",
            ComponentKind::RelationalDb => "relational database",
            ComponentKind::DocumentStore => "document store",
            ComponentKind::VectorStore => "vector store",
            ComponentKind::ObjectStorage => "object storage",
            ComponentKind::SearchIndex => "search index",
            ComponentKind::Llm => "LLM",
            ComponentKind::EmbeddingModel => "embedding model",
            ComponentKind::Reranker => "reranker",
            ComponentKind::ExternalApi => "external API",
            ComponentKind::Monitoring => "monitoring",
            ComponentKind::Unknown => "component",
        }
    }

    /// Holds state that is lost or unavailable when its only instance is down.
    pub fn is_data_store(self) -> bool {
        matches!(
            self,
            ComponentKind::RelationalDb
                | ComponentKind::DocumentStore
                | ComponentKind::VectorStore
                | ComponentKind::ObjectStorage
                | ComponentKind::SearchIndex
                | ComponentKind::Cache
        )
    }
}

/// A component drawn on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BoardNode {
    /// The Excalidraw element id of the shape.
    pub id: String,
    pub kind: ComponentKind,
    /// The words written in or on the shape; empty when none.
    pub label: String,
}

/// An arrow (or line) between two components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BoardEdge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    /// False for a plain line or a double-headed arrow: no direction is implied.
    pub directed: bool,
}

/// The whiteboard as the interviewer reads it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BoardGraph {
    pub nodes: Vec<BoardNode>,
    pub edges: Vec<BoardEdge>,
    /// Free text on the board that labels no shape or arrow.
    pub notes: Vec<String>,
}

impl BoardGraph {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty() && self.notes.is_empty()
    }

    pub fn node(&self, id: &str) -> Option<&BoardNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// One entry of the component library (the palette the candidate drags from).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ComponentInfo {
    pub kind: ComponentKind,
    /// The default label of a new shape ("Vector store").
    pub name: String,
    /// One line on what it is for, shown as the palette's tooltip.
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names_and_json() {
        for k in ALL_COMPONENT_KINDS
            .iter()
            .copied()
            .chain([ComponentKind::Unknown])
        {
            assert_eq!(ComponentKind::from_name(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(ComponentKind::from_name("VectorStore"), None);
    }
}
