//! The whiteboard in the engine: an Excalidraw scene read as a typed graph of components
//! and arrows ([`scene_to_graph`]), the component library ([`component_catalogue`]), and a
//! compact log of board changes that replays the board as it was at any moment
//! ([`history`]); [`describe`] shows a person what was read.

mod describe;
mod geometry;
mod graph;
pub mod history;
mod kind;
mod labels;
mod scene;
mod units;

pub use describe::describe;
pub use kind::{component_catalogue, kind_from_label, warm_up};
pub use scene::{scene_to_graph, MAX_ELEMENTS};

/// Why a board could not be read. Odd elements inside a scene are skipped, not errors.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("the board is not valid JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("the board is not an Excalidraw scene: {0}")]
    NotAScene(String),
    #[error("the board has {elements} elements, more than the {max} a board may have", max = MAX_ELEMENTS)]
    TooLarge { elements: usize },
    #[error("a stored board change is damaged: {0}")]
    BadHistory(String),
}
